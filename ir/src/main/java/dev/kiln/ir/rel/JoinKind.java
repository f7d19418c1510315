package dev.kiln.ir.rel;

/**
 * INNER/LEFT/RIGHT/FULL output left columns then right columns (the outer side's missing
 * columns NULL). SEMI and ANTI output only the left columns: a left row is kept if some right
 * row satisfies the condition (SEMI) or none does (ANTI; a NULL condition counts as not matching,
 * i.e. NOT EXISTS semantics — NOT IN's NULL rules are expressed by the frontend around it).
 */
public enum JoinKind {
    INNER, LEFT, RIGHT, FULL, SEMI, ANTI;

    public boolean projectsRight() {
        return this != SEMI && this != ANTI;
    }

    public boolean leftNullable() {
        return this == RIGHT || this == FULL;
    }

    public boolean rightNullable() {
        return this == LEFT || this == FULL;
    }
}
