package dev.kiln.codegen.tree;

/** A statement of generated code. */
public sealed interface JStmt
        permits Declare, Assign, AssignThisField, ArrayStore, Eval, If, While, For, Block, Return, Break,
                Continue, Throw, Comment {
}
