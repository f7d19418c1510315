package dev.kiln.codegen.emit;

/** How a {@link dev.kiln.codegen.tree.ClassDef} becomes a class: ASM bytecode, or Java source compiled by Janino. */
public enum Backend {
    ASM, JANINO
}
