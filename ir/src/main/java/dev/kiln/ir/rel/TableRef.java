package dev.kiln.ir.rel;

import dev.kiln.ir.type.Schema;

/**
 * A table as the planner sees it: its name, full schema and an estimated row count (for the
 * cost model; -1 when unknown).
 */
public record TableRef(String name, Schema schema, long rowCount) {}
