package dev.kiln.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median, minimum and maximum of repeated timings, in milliseconds. */
public record Stats(double median, double min, double max, int runs) {
    public static Stats of(List<Double> millis) {
        List<Double> s = new ArrayList<>(millis);
        Collections.sort(s);
        int n = s.size();
        double med = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
        return new Stats(med, s.getFirst(), s.getLast(), n);
    }

    public String json() {
        return String.format(java.util.Locale.ROOT, "{\"median_ms\": %.3f, \"min_ms\": %.3f, \"max_ms\": %.3f, \"runs\": %d}", median, min, max, runs);
    }
}
