package dev.kiln.codegen.emit;

import dev.kiln.codegen.tree.LocalVar;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Local-variable scopes of one method for the bytecode emitter. Every declaration gets slots of
 * its own (never reused), so a slot always holds one type and frame computation never has to
 * merge unrelated types.
 */
final class Scopes {
    record Slot(LocalVar v, int index) {}

    private final String method;
    private final Deque<Map<String, Slot>> scopes = new ArrayDeque<>();
    private int nextSlot = 1; // slot 0 is this

    Scopes(String method) {
        this.method = method;
        scopes.push(new HashMap<>());
    }

    void open() {
        scopes.push(new HashMap<>());
    }

    void close() {
        scopes.pop();
    }

    Slot declare(LocalVar v) {
        for (Map<String, Slot> s : scopes) {
            if (s.containsKey(v.name())) {
                throw new IllegalArgumentException("method " + method + ": local " + v.name()
                        + " is declared twice in overlapping scopes; the builder must pick a fresh name");
            }
        }
        Slot slot = new Slot(v, nextSlot);
        nextSlot += v.type().isWide() ? 2 : 1;
        scopes.peek().put(v.name(), slot);
        return slot;
    }

    Slot lookup(LocalVar v) {
        for (Map<String, Slot> s : scopes) {
            Slot slot = s.get(v.name());
            if (slot != null) {
                if (!slot.v().type().equals(v.type())) {
                    throw new IllegalArgumentException("method " + method + ": local " + v.name() + " is declared as "
                            + slot.v().type() + " but used as " + v.type());
                }
                return slot;
            }
        }
        throw new IllegalArgumentException("method " + method + ": local " + v.name() + " (" + v.type()
                + ") is used outside the scope of any declaration of it");
    }
}
