package dev.kiln.runtime.sort;

import java.util.Arrays;

/**
 * Orders row indices by {@link SortKeys#compare}: a merge sort for full sorts and a bounded
 * max-heap for top-N. Both work on plain int arrays (no boxing, no comparator objects).
 */
final class RowOrder {
    private RowOrder() {}

    private static final int INSERTION_SORT_MAX = 24;

    /** All n rows in order. */
    static int[] sortAll(SortKeys keys) {
        int[] a = new int[keys.n];
        for (int i = 0; i < a.length; i++) a[i] = i;
        sort(keys, a, a.length);
        return a;
    }

    /** a[0, len) sorted in place. */
    static void sort(SortKeys keys, int[] a, int len) {
        if (len < 2) return;
        int[] tmp = Arrays.copyOf(a, len);
        mergeSort(keys, tmp, a, 0, len);
    }

    /** Sorts src[lo, hi) into dst[lo, hi); src and dst hold the same values on entry. */
    private static void mergeSort(SortKeys keys, int[] src, int[] dst, int lo, int hi) {
        if (hi - lo <= INSERTION_SORT_MAX) {
            for (int i = lo + 1; i < hi; i++) {
                int x = dst[i];
                int j = i - 1;
                while (j >= lo && keys.compare(dst[j], x) > 0) {
                    dst[j + 1] = dst[j];
                    j--;
                }
                dst[j + 1] = x;
            }
            return;
        }
        int mid = (lo + hi) >>> 1;
        mergeSort(keys, dst, src, lo, mid);
        mergeSort(keys, dst, src, mid, hi);
        if (keys.compare(src[mid - 1], src[mid]) <= 0) {
            System.arraycopy(src, lo, dst, lo, hi - lo);
            return;
        }
        for (int i = lo, p = lo, q = mid; i < hi; i++) {
            if (q >= hi || p < mid && keys.compare(src[p], src[q]) <= 0) dst[i] = src[p++];
            else dst[i] = src[q++];
        }
    }

    /** The first {@code keep} rows in order (keep &lt; n), with a max-heap of the best rows so far. */
    static int[] topN(SortKeys keys, int keep) {
        int[] heap = new int[keep];
        int size = 0;
        for (int row = 0; row < keys.n; row++) {
            if (size < keep) {
                heap[size] = row;
                siftUp(keys, heap, size++);
            } else if (keys.compare(row, heap[0]) < 0) {
                heap[0] = row;
                siftDown(keys, heap, size);
            }
        }
        sort(keys, heap, size);
        return heap;
    }

    private static void siftUp(SortKeys keys, int[] heap, int i) {
        int x = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (keys.compare(heap[parent], x) >= 0) break;
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = x;
    }

    private static void siftDown(SortKeys keys, int[] heap, int size) {
        int x = heap[0];
        int i = 0;
        while (true) {
            int c = 2 * i + 1;
            if (c >= size) break;
            if (c + 1 < size && keys.compare(heap[c + 1], heap[c]) > 0) c++;
            if (keys.compare(heap[c], x) <= 0) break;
            heap[i] = heap[c];
            i = c;
        }
        heap[i] = x;
    }
}
