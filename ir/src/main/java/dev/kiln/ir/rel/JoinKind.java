package dev.kiln.ir.rel;

/**
 * INNER/LEFT/RIGHT/FULL output left columns then right columns (the outer side's missing
 * columns NULL). SEMI and ANTI output only the left columns: a left row is kept if some right
 * row satisfies the condition (SEMI) or none does (ANTI; a NULL condition counts as not matching,
 * i.e. NOT EXISTS semantics — NOT IN's NULL rules are expressed by the frontend around it).
 * RIGHT_SEMI and RIGHT_ANTI are their mirror images: they output only the right columns, a right
 * row kept if some left row matches it (or none does). The optimizer turns a SEMI/ANTI join whose
 * kept side is the small one into its mirror, so that the hash table is built on the small side
 * (the right input, as for every join) and the large side only probes it, marking what matched.
 */
public enum JoinKind {
    INNER, LEFT, RIGHT, FULL, SEMI, ANTI, RIGHT_SEMI, RIGHT_ANTI;

    public boolean projectsLeft() {
        return this != RIGHT_SEMI && this != RIGHT_ANTI;
    }

    public boolean projectsRight() {
        return this != SEMI && this != ANTI;
    }

    public boolean leftNullable() {
        return this == RIGHT || this == FULL;
    }

    public boolean rightNullable() {
        return this == LEFT || this == FULL;
    }

    /** SEMI ↔ RIGHT_SEMI, ANTI ↔ RIGHT_ANTI: the same join with its inputs swapped. */
    public JoinKind mirror() {
        return switch (this) {
            case SEMI -> RIGHT_SEMI;
            case ANTI -> RIGHT_ANTI;
            case RIGHT_SEMI -> SEMI;
            case RIGHT_ANTI -> ANTI;
            case LEFT -> RIGHT;
            case RIGHT -> LEFT;
            case INNER, FULL -> this;
        };
    }
}
