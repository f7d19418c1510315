package dev.kiln.frontend.plan;

/** Anything that stands for a plan-API relation: a {@link Relation}, or a session's frame over one. */
public interface HasRelation {
    Relation relation();
}
