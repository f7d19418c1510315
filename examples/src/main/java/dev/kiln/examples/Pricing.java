package dev.kiln.examples;

import dev.kiln.annotations.KilnQueries;
import dev.kiln.annotations.Query;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Typed queries over TPC-H: javac checks each query against {@link LineItem} and {@link Order}
 * and each method's parameters and result, and generates {@code KilnQueries_Pricing};
 * {@code kiln.bind(Pricing.class)} returns it, with every query compiled.
 */
@KilnQueries
public interface Pricing {
    record FlagQty(String flag, BigDecimal qty) {}

    record Summary(String returnFlag, String lineStatus, BigDecimal sumQty, BigDecimal sumCharge, double avgDisc, long countOrder) {}

    record PriorityCount(String priority, long orderCount) {}

    @Query("SELECT l_returnflag AS flag, sum(l_quantity) AS qty FROM lineitem WHERE l_shipdate <= :cutoff GROUP BY 1 ORDER BY 1")
    List<FlagQty> summary(LocalDate cutoff);

    /** TPC-H Q1 up to a ship date. */
    @Query("""
            SELECT l_returnflag AS return_flag, l_linestatus AS line_status, sum(l_quantity) AS sum_qty,
                   sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge, avg(l_discount) AS avg_disc, count(*) AS count_order
            FROM lineitem
            WHERE l_shipdate <= :cutoff
            GROUP BY l_returnflag, l_linestatus
            ORDER BY l_returnflag, l_linestatus""")
    List<Summary> q1(LocalDate cutoff);

    /** TPC-H Q4: orders of a quarter with a late line, by priority. */
    @Query("""
            SELECT o_orderpriority AS priority, count(*) AS order_count FROM orders
            WHERE o_orderdate >= :start AND o_orderdate < :start + INTERVAL '3' MONTH
              AND EXISTS (SELECT * FROM lineitem WHERE l_orderkey = o_orderkey AND l_commitdate < l_receiptdate)
            GROUP BY o_orderpriority ORDER BY o_orderpriority""")
    List<PriorityCount> q4(LocalDate start);

    /** An order's revenue, if it has lines. */
    @Query("SELECT sum(l_extendedprice * (1 - l_discount)) FROM lineitem WHERE l_orderkey = :orderKey HAVING count(*) > 0")
    Optional<BigDecimal> revenue(long orderKey);

    @Query("SELECT count(*) FROM lineitem WHERE l_shipmode = :mode AND l_shipdate < :before")
    long shipments(String mode, LocalDate before);

    @Query("SELECT DISTINCT o_orderpriority FROM orders ORDER BY 1")
    List<String> priorities();
}
