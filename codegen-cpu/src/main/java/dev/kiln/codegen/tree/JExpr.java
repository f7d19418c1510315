package dev.kiln.codegen.tree;

/**
 * A typed expression of generated code. Every node checks its operand types when built, so an
 * ill-typed tree fails where it is constructed, naming the operation and the types involved.
 */
public sealed interface JExpr
        permits Local, Const, NullConst, ThisField, StaticField, GetField, Binary, Unary, Convert,
                InvokeStatic, InvokeVirtual, InvokeThis, Ternary, ArrayLoad, ArrayLength, NewObject, NewArray {
    JType type();
}
