/**
 * The typed code tree that whole-stage code generation builds: {@link dev.kiln.codegen.tree.JExpr}
 * expressions and {@link dev.kiln.codegen.tree.JStmt} statements inside
 * {@link dev.kiln.codegen.tree.MethodDef}s of a {@link dev.kiln.codegen.tree.ClassDef}. Nodes
 * check their types when built and resolve library methods by reflection, so both backends in
 * {@code dev.kiln.codegen.emit} receive only well-typed trees.
 */
package dev.kiln.codegen.tree;
