package org.volunteerledger

import org.volunteerledger.core.Scope

/**
 * The scopes of a board as static methods (`Scopes.all()`, `Scopes.org("D")`): in Java the
 * generated `Scope.All` is reached as `Scope.All.INSTANCE`. Kotlin callers write `Scope.All`.
 */
object Scopes {
    /** The whole ledger. */
    @JvmStatic
    fun all(): Scope = Scope.All

    /** Records served at an org or anywhere below it. */
    @JvmStatic
    fun org(id: String): Scope = Scope.Org(id)

    /** Records organised by a team. */
    @JvmStatic
    fun team(id: String): Scope = Scope.Team(id)
}
