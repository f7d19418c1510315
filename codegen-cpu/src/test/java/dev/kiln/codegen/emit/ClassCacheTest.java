package dev.kiln.codegen.emit;

import static dev.kiln.codegen.emit.Both.cls;
import static dev.kiln.codegen.emit.Both.method;
import static dev.kiln.codegen.emit.Both.v;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.codegen.emit.Fns.LongFn;
import dev.kiln.codegen.tree.*;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ClassCacheTest {
    static final LocalVar A = v("a", JType.LONG);
    static final LocalVar B = v("b", JType.LONG);

    private static Supplier<ClassDef> adder(AtomicInteger built, BinOp op) {
        return () -> {
            built.incrementAndGet();
            return cls("Cached", LongFn.class, method("apply", JType.LONG, List.of(A, B), Block.of(Return.of(new Binary(op, new Local(A), new Local(B))))));
        };
    }

    @Test
    void countsHitsAndMissesPerShapeAndBackend() throws Exception {
        ClassCache cache = new ClassCache(getClass().getClassLoader());
        AtomicInteger built = new AtomicInteger();
        Class<?> add1 = cache.getOrCompile(List.of("add"), adder(built, BinOp.ADD), Backend.ASM);
        Class<?> add2 = cache.getOrCompile(List.of("add"), adder(built, BinOp.ADD), Backend.ASM);
        Class<?> sub = cache.getOrCompile(List.of("sub"), adder(built, BinOp.SUB), Backend.ASM);
        Class<?> addJanino = cache.getOrCompile(List.of("add"), adder(built, BinOp.ADD), Backend.JANINO);
        assertSame(add1, add2);
        assertNotSame(add1, sub);
        assertNotSame(add1, addJanino);
        assertEquals(1, cache.hits());
        assertEquals(3, cache.misses());
        assertEquals(3, built.get());
        assertEquals(3, cache.size());
        assertEquals(5L, ((LongFn) add1.getDeclaredConstructor().newInstance()).apply(2, 3));
        assertEquals(-1L, ((LongFn) sub.getDeclaredConstructor().newInstance()).apply(2, 3));
        assertEquals(5L, ((LongFn) addJanino.getDeclaredConstructor().newInstance()).apply(2, 3));
    }

    @Test
    void concurrentRequestsCompileOnce() throws Exception {
        ClassCache cache = new ClassCache(getClass().getClassLoader());
        AtomicInteger built = new AtomicInteger();
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Class<?>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return cache.getOrCompile("shape", adder(built, BinOp.MUL), Backend.JANINO);
                }));
            }
            start.countDown();
            Class<?> first = results.getFirst().get();
            for (Future<Class<?>> f : results) assertSame(first, f.get());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, built.get());
        assertEquals(1, cache.misses());
        assertEquals(threads - 1, cache.hits());
    }

    @Test
    void failuresAreNotCached() {
        ClassCache cache = new ClassCache(getClass().getClassLoader());
        Supplier<ClassDef> broken = () -> cls("Broken", LongFn.class, method("apply", JType.LONG, List.of(A, B),
                Block.of(Return.of(new Local(v("nope", JType.LONG))))));
        assertThrows(CodegenException.class, () -> cache.getOrCompile("k", broken, Backend.ASM));
        assertThrows(CodegenException.class, () -> cache.getOrCompile("k", broken, Backend.ASM));
        assertEquals(2, cache.misses());
        assertEquals(0, cache.hits());
        assertEquals(0, cache.size());
    }
}
