//! Python binding (placeholder until the binding lands).
