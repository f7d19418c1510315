/**
 * Table and column statistics as plain records (row counts, NDV, NULL fractions, min/max and
 * equi-depth histograms), shared by the runtime's collector and the optimizer's estimator.
 */
package dev.kiln.ir.stats;
