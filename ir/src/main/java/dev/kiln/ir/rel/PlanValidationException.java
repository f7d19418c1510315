package dev.kiln.ir.rel;

import dev.kiln.ir.KilnException;

/**
 * A plan that breaks the IR's rules (ir/expr/package-info): a column out of range, a type or
 * nullability that disagrees with its input, an operator applied to the wrong types. It names the
 * path from the root to the offending operator; it signals a bug in whatever built the plan.
 */
public class PlanValidationException extends KilnException {
    public PlanValidationException(String message) {
        super(message);
    }
}
