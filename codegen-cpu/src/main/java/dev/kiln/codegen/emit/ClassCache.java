package dev.kiln.codegen.emit;

import dev.kiln.codegen.tree.ClassDef;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Compiled generated classes keyed by plan shape (literals are parameters, so one class serves
 * every query of that shape). Thread-safe: concurrent requests for a missing key compile once,
 * the others wait for it. A failed compilation is not cached, so each caller sees the error.
 */
public final class ClassCache {
    private record Key(Object shape, Backend backend) {}

    private final ClassLoader parent;
    private final ConcurrentHashMap<Key, CompletableFuture<Class<?>>> classes = new ConcurrentHashMap<>();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    /** @param parent loader of the classes generated code refers to (Kiln's runtime, the superclass) */
    public ClassCache(ClassLoader parent) {
        this.parent = parent;
    }

    /** A cache whose generated classes see the classes of codegen-cpu's own loader. */
    public ClassCache() {
        this(ClassCache.class.getClassLoader());
    }

    public Class<?> getOrCompile(Object key, Supplier<ClassDef> def, Backend backend) {
        Key k = new Key(key, backend);
        CompletableFuture<Class<?>> mine = new CompletableFuture<>();
        CompletableFuture<Class<?>> existing = classes.putIfAbsent(k, mine);
        if (existing != null) {
            hits.incrementAndGet();
            return await(existing);
        }
        misses.incrementAndGet();
        try {
            Class<?> c = ClassCompiler.compile(def.get(), backend, parent);
            mine.complete(c);
            return c;
        } catch (RuntimeException | Error e) {
            classes.remove(k, mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private static Class<?> await(CompletableFuture<Class<?>> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException("class compilation failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for another thread to compile a class", e);
        }
    }

    public long hits() {
        return hits.get();
    }

    public long misses() {
        return misses.get();
    }

    /** Forgets every class (for measuring cold compile latency); classes already handed out stay usable. */
    public void clear() {
        classes.clear();
    }

    public int size() {
        return classes.size();
    }
}
