package dev.kiln.codegen.emit;

import static org.objectweb.asm.Opcodes.*;

import dev.kiln.codegen.tree.ClassDef;
import dev.kiln.codegen.tree.FieldDef;
import dev.kiln.codegen.tree.JType;
import dev.kiln.codegen.tree.MethodDef;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Writes a {@link ClassDef} as a class file with ASM. Frames and max stack are computed by ASM;
 * the generated class is never loaded for that (see {@link Writer#getCommonSuperClass}).
 * Methods over {@link #MAX_METHOD_BYTES} (when strict) and classes whose constant pool passes
 * {@link #MAX_CONSTANT_POOL} entries are errors: the pipeline builder must split them, and
 * DESIGN forbids silent fallbacks.
 */
public final class AsmEmitter {
    /** Well below HotSpot's 8000-byte {@code HugeMethodLimit}, above which methods are never JIT-compiled. */
    public static final int MAX_METHOD_BYTES = 8000;
    /**
     * Keeps clear of the JVM's limit of 65,535 constant-pool entries per class. That, and 64 KB of
     * bytecode per method (far above {@link #MAX_METHOD_BYTES}), are the JVM's limits; a class
     * file's total size has none, so a pipeline of many short methods may be a large class.
     */
    public static final int MAX_CONSTANT_POOL = 60_000;

    private AsmEmitter() {}

    /** A class file and the bytecode size of each of its methods ({@code name + descriptor}). */
    public record Emitted(byte[] bytes, Map<String, Integer> methodSizes) {}

    /** Emits with the method-size limit enforced. */
    public static byte[] emit(ClassDef def) {
        return emit(def, true);
    }

    public static byte[] emit(ClassDef def, boolean strictMethodSize) {
        return emitWithSizes(def, strictMethodSize).bytes();
    }

    public static Emitted emitWithSizes(ClassDef def, boolean strictMethodSize) {
        Emitted out;
        try {
            out = write(def);
        } catch (org.objectweb.asm.ClassTooLargeException e) {
            throw failure(def, "has " + e.getConstantPoolCount() + " constant-pool entries, over the JVM's limit of 65535; split the pipeline into more classes", e);
        } catch (RuntimeException e) {
            throw failure(def, "could not be emitted as bytecode: " + e.getMessage(), e);
        }
        if (strictMethodSize) {
            out.methodSizes().forEach((m, size) -> {
                if (size > MAX_METHOD_BYTES) {
                    throw failure(def, "has method " + m + " of " + size + " bytes of bytecode, over the " + MAX_METHOD_BYTES
                            + "-byte limit above which the JIT will not compile it; the pipeline builder must split it"
                            + " (CodeSize.estimate measures a method)", null);
                }
            });
        }
        int constants = ((out.bytes()[8] & 0xff) << 8) | (out.bytes()[9] & 0xff);
        if (constants > MAX_CONSTANT_POOL) {
            throw failure(def, "has " + constants + " constant-pool entries, over the " + MAX_CONSTANT_POOL
                    + " Kiln allows (the JVM's limit is 65535); split the pipeline into more classes", null);
        }
        return out;
    }

    private static Emitted write(ClassDef def) {
        Writer cw = new Writer(def);
        String[] itfs = def.interfaces().stream().map(Type::getInternalName).toArray(String[]::new);
        cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, def.internalName(), null, Type.getInternalName(def.superclass()), itfs);
        cw.visitSource(def.simpleName() + ".java", null);
        for (FieldDef f : def.fields()) {
            cw.seen(f.type());
            cw.visitField(ACC_PRIVATE, f.name(), f.type().descriptor(), null, null).visitEnd();
        }
        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, Type.getInternalName(def.superclass()), "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (MethodDef m : def.methods()) {
            MethodVisitor mv = cw.visitMethod(m.isPublic() ? ACC_PUBLIC : ACC_PRIVATE, m.name(), m.descriptor(), null, null);
            sizes.put(m.name() + m.descriptor(), new MethodEmitter(Optional.of(def), def.internalName(), m, mv, cw::seen).emit());
        }
        cw.visitEnd();
        return new Emitted(cw.toByteArray(), Map.copyOf(sizes));
    }

    /** Emits one method alone into a scratch class and returns its bytecode size. */
    static int methodSize(MethodDef m) {
        Writer cw = new Writer(null);
        cw.visit(V17, ACC_PUBLIC | ACC_SUPER, "dev/kiln/generated/SizeEstimate", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(m.isPublic() ? ACC_PUBLIC : ACC_PRIVATE, m.name(), m.descriptor(), null, null);
        int size = new MethodEmitter(Optional.empty(), "dev/kiln/generated/SizeEstimate", m, mv, cw::seen).emit();
        cw.visitEnd();
        return size;
    }

    static CodegenException failure(ClassDef def, String what, Throwable cause) {
        String source = SourceOf.print(def, cause);
        return new CodegenException("generated class " + def.fqcn() + " " + CodegenException.firstLines(what, 8)
                + "\n(the full generated Java source is attached: CodegenException.source())", source, cause);
    }

    /**
     * Computes common superclasses from the {@link Class} objects the tree refers to, so ASM
     * never asks a class loader for the class being generated (which does not exist yet) or
     * for a class the emitter's own loader cannot see.
     */
    private static final class Writer extends ClassWriter {
        private final ClassDef def;
        private final Map<String, Class<?>> known = new ConcurrentHashMap<>();

        Writer(ClassDef def) {
            super(COMPUTE_FRAMES | COMPUTE_MAXS);
            this.def = def;
        }

        void seen(JType t) {
            Class<?> c = t.clazz();
            while (c.isArray()) c = c.componentType();
            if (!c.isPrimitive()) known.putIfAbsent(Type.getInternalName(c), c);
        }

        @Override
        protected String getCommonSuperClass(String a, String b) {
            Class<?> ca = resolve(a);
            Class<?> cb = resolve(b);
            if (ca.isAssignableFrom(cb)) return Type.getInternalName(ca);
            if (cb.isAssignableFrom(ca)) return Type.getInternalName(cb);
            if (ca.isInterface() || cb.isInterface()) return "java/lang/Object";
            do {
                ca = ca.getSuperclass();
            } while (!ca.isAssignableFrom(cb));
            return Type.getInternalName(ca);
        }

        private Class<?> resolve(String internal) {
            // The generated class behaves as its superclass for frame merging.
            if (def != null && internal.equals(def.internalName())) return def.superclass();
            Class<?> c = known.get(internal);
            if (c != null) return c;
            ClassLoader loader = def != null ? def.superclass().getClassLoader() : null;
            try {
                return Class.forName(internal.replace('/', '.'), false, loader == null ? ClassLoader.getPlatformClassLoader() : loader);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("bytecode frame computation needs class " + internal.replace('/', '.')
                        + ", which the code tree never mentions and no loader can find", e);
            }
        }
    }
}
