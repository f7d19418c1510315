package dev.kiln.ir.rel;

import dev.kiln.ir.tensor.TensorGraph;

/**
 * A model registered in a session (CREATE MODEL), as plans refer to it: its name, the version
 * under which it was registered, and its tensor graph - the model is part of the plan, in the
 * same IR. Equality is by name and version only: plans are compared and hashed often (plan caches,
 * memo tables) and a graph's weights can be hundreds of megabytes.
 */
public record ModelRef(String name, long version, TensorGraph graph) {
    @Override
    public boolean equals(Object o) {
        return o instanceof ModelRef m && m.name.equals(name) && m.version == version;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Long.hashCode(version);
    }

    @Override
    public String toString() {
        return name + "#" + version;
    }
}
