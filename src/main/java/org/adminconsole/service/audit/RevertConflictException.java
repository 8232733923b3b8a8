package org.adminconsole.service.audit;

import org.adminconsole.persistence.OperatorError;

/** Reverting a change set met users changed since (or deleted): nothing was written. Carries the fresh plan. */
public final class RevertConflictException extends RuntimeException implements OperatorError {
    private final transient RevertPlan plan;

    public RevertConflictException(RevertPlan plan) {
        super("Nothing was reverted: " + plan.conflicted().size() + " of " + plan.users().size()
                + " users changed since the action (" + String.join("; ", plan.conflicted().stream().limit(5)
                .map(u -> u.email() + ": " + u.describeConflict()).toList()) + (plan.conflicted().size() > 5 ? "; …" : "") + ").");
        this.plan = plan;
    }

    public RevertPlan plan() {
        return plan;
    }
}
