package dev.kiln.engine;

import dev.kiln.codegen.emit.Backend;
import java.util.List;

/**
 * @param memoryBudget   bytes of off-heap memory each query may use
 * @param backend        ASM (default) or JANINO
 * @param disabledRules  optimizer passes or rules switched off by name
 */
public record KilnConfig(long memoryBudget, Backend backend, List<String> disabledRules) {
    public static final long DEFAULT_MEMORY = 4L << 30;

    public KilnConfig {
        disabledRules = List.copyOf(disabledRules);
    }

    public static KilnConfig defaults() {
        return new KilnConfig(DEFAULT_MEMORY, Backend.ASM, List.of());
    }

    public KilnConfig withBackend(Backend b) {
        return new KilnConfig(memoryBudget, b, disabledRules);
    }
}
