package dev.kiln.codegen;

/**
 * @param compileNanos    planning pipelines + generating + loading classes
 * @param classesCompiled pipelines whose class had to be generated now
 * @param cacheHits       pipelines served by an already compiled class of the same shape
 */
public record CompileStats(long compileNanos, int classesCompiled, int cacheHits) {}
