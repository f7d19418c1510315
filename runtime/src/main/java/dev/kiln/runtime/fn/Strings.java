package dev.kiln.runtime.fn;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/** UTF-8 string views (segment, offset, length): comparison in code-point (unsigned byte) order. */
public final class Strings {
    private Strings() {}

    public static boolean equals(MemorySegment a, long aOff, int aLen, MemorySegment b, long bOff, int bLen) {
        if (aLen != bLen) return false;
        if (aLen < 16) {
            for (int i = 0; i < aLen; i++) {
                if (a.get(ValueLayout.JAVA_BYTE, aOff + i) != b.get(ValueLayout.JAVA_BYTE, bOff + i)) return false;
            }
            return true;
        }
        return MemorySegment.mismatch(a, aOff, aOff + aLen, b, bOff, bOff + bLen) == -1;
    }

    public static int compare(MemorySegment a, long aOff, int aLen, MemorySegment b, long bOff, int bLen) {
        long m = MemorySegment.mismatch(a, aOff, aOff + aLen, b, bOff, bOff + bLen);
        if (m == -1) return 0;
        if (m == aLen) return -1;
        if (m == bLen) return 1;
        return Integer.compare(a.get(ValueLayout.JAVA_BYTE, aOff + m) & 0xFF, b.get(ValueLayout.JAVA_BYTE, bOff + m) & 0xFF);
    }

    public static boolean equalsConst(MemorySegment a, long aOff, int aLen, byte[] constant) {
        return equals(a, aOff, aLen, MemorySegment.ofArray(constant), 0, constant.length);
    }

    public static int compareConst(MemorySegment a, long aOff, int aLen, byte[] constant) {
        return compare(a, aOff, aLen, MemorySegment.ofArray(constant), 0, constant.length);
    }

    public static String toJavaString(MemorySegment seg, long off, int len) {
        byte[] b = new byte[len];
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, off, b, 0, len);
        return new String(b, StandardCharsets.UTF_8);
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
