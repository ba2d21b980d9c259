//! Mobile binding (placeholder until the binding lands).
