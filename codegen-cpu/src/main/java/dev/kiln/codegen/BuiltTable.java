package dev.kiln.codegen;

import dev.kiln.runtime.hash.HashTable;
import dev.kiln.runtime.spill.PartitionedSpill;

/** A completed hash-join build side: in memory, or spilled to disk by hash partition. */
sealed interface BuiltTable {
    record InMemory(HashTable table) implements BuiltTable {}

    /** Probed in passes, one range of partitions loaded at a time. */
    record Spilled(PartitionedSpill spill) implements BuiltTable {}
}
