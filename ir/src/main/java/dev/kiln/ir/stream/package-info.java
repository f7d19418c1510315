/**
 * Incremental plans: what a query becomes when it runs on streams. Following DBSP, every node
 * yields, for each micro-batch, the <em>change</em> of its relation as a Z-set: rows with an
 * integer weight (+n inserts n copies, -n retracts them), kept as an ordinary row whose last
 * column is the weight {@code __w BIGINT}. Linear operators (filter, project, joins with tables,
 * pre-aggregation by weighted sums) are their own increments and stay ordinary {@link
 * dev.kiln.ir.rel.Rel} plans inside {@link dev.kiln.ir.stream.Linear} nodes, compiled into
 * pipelines like any batch query; only the nodes that keep state ({@link
 * dev.kiln.ir.stream.AggregateState}, {@link dev.kiln.ir.stream.JoinState}) are operators of
 * their own. The optimizer's incrementalization pass builds these plans.
 */
package dev.kiln.ir.stream;
