package dev.kiln.engine;

import dev.kiln.codegen.infer.ModelRunner;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.runtime.tensor.TensorThreads;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compiled model runners kept between queries: compiling a model's programs takes about a second
 * and their kernels need many runs to be JIT-compiled, so a query that ran a model leaves its
 * runner here for the next one. Keyed by the graph's and the worker pool's identity (a registered
 * model keeps its graph object; hashing a graph would hash its weights); the least recently used
 * runner beyond {@link #CAPACITY} is closed, and a session's runners are closed with it.
 * A runner serves one query at a time.
 */
final class CachedModelRunners {
    private CachedModelRunners() {}

    /** Runners kept: a model and its preprocessing, on each worker lane of a two- or four-thread session and on the whole pool. */
    static final int CAPACITY = 12;

    private record Key(TensorGraph graph, TensorThreads threads) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.graph == graph && k.threads == threads;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(graph) * 31 + System.identityHashCode(threads);
        }
    }

    private static final LinkedHashMap<Key, CompiledModelRunner> RUNNERS = new LinkedHashMap<>(16, 0.75f, true);

    /** The cached runner of this graph on these threads (made now if there is none); closing the handle keeps it. */
    static synchronized ModelRunner get(TensorGraph graph, TensorThreads threads) {
        CompiledModelRunner r = RUNNERS.computeIfAbsent(new Key(graph, threads), k -> new CompiledModelRunner(graph, threads));
        Iterator<Map.Entry<Key, CompiledModelRunner>> it = RUNNERS.entrySet().iterator();
        while (RUNNERS.size() > CAPACITY && it.hasNext()) {
            Map.Entry<Key, CompiledModelRunner> e = it.next();
            if (e.getValue() == r) continue;
            synchronized (e.getValue()) {
                e.getValue().close();
            }
            it.remove();
        }
        return new ModelRunner() {
            @Override
            public Map<String, Tensor> run(Map<String, Tensor> inputs) {
                synchronized (r) {
                    return r.run(inputs);
                }
            }

            @Override
            public String describe() {
                return r.describe();
            }
        };
    }

    /** Closes the runners that use these threads or their lanes (their session is closing). */
    static synchronized void release(TensorThreads threads) {
        Iterator<Map.Entry<Key, CompiledModelRunner>> it = RUNNERS.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, CompiledModelRunner> e = it.next();
            var t = e.getKey().threads();
            if (t != threads && !(t instanceof dev.kiln.codegen.Workers.Lane l && l.parent() == threads)) continue;
            synchronized (e.getValue()) {
                e.getValue().close();
            }
            it.remove();
        }
    }
}
