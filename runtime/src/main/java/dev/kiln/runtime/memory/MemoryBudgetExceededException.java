package dev.kiln.runtime.memory;

import dev.kiln.ir.KilnException;

/** A query needed more off-heap memory than its budget allows. */
public final class MemoryBudgetExceededException extends KilnException {
    public MemoryBudgetExceededException(long requested, long used, long budget) {
        super(String.format("query memory budget exceeded: needed %.1f MB more with %.1f MB in use, budget %.1f MB; raise it with --memory (e.g. --memory 8g)",
                requested / 1e6, used / 1e6, budget / 1e6));
    }
}
