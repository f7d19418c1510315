package dev.kiln.examples;

import static dev.kiln.frontend.plan.Functions.col;
import static dev.kiln.frontend.plan.Functions.count;
import static dev.kiln.frontend.plan.Functions.date;
import static dev.kiln.frontend.plan.Functions.decimal;
import static dev.kiln.frontend.plan.Functions.sum;

import dev.kiln.engine.Frame;
import dev.kiln.engine.Kiln;
import dev.kiln.frontend.plan.Relation.JoinType;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;

/** The three ways into Kiln from Java, over TPC-H at scale factor 0.01. Run it with {@code main}. */
public final class Examples {
    private Examples() {}

    public record Revenue(String lReturnflag, BigDecimal revenue) {}

    /** The plan API: the example, mapped to a record. */
    public static List<Revenue> planApi(Kiln kiln) {
        return kiln.table("lineitem")
                .filter(col("l_shipdate").ge(date("1994-01-01")).and(col("l_discount").between(decimal("0.05"), decimal("0.07"))))
                .groupBy(col("l_returnflag"))
                .agg(sum(col("l_extendedprice").times(col("l_discount"))).as("revenue"))
                .orderBy(col("revenue").desc())
                .collectAs(Revenue.class);
    }

    /** The plan API with a join: urgent orders with a late line, counted by status. */
    public static Frame lateUrgentOrders(Kiln kiln) {
        Frame late = kiln.table("lineitem").filter(col("l_commitdate").lt(col("l_receiptdate")));
        return kiln.table("orders").filter(col("o_orderpriority").eq("1-URGENT"))
                .join(late, col("l_orderkey").eq(col("o_orderkey")), JoinType.SEMI)
                .groupBy("o_orderstatus").agg(count().as("orders"))
                .orderBy(col("o_orderstatus"));
    }

    /** Typed queries, checked when this file was compiled. */
    public static List<Pricing.FlagQty> typed(Kiln kiln) {
        Pricing pricing = kiln.bind(Pricing.class);
        return pricing.summary(LocalDate.of(1995, 6, 17));
    }

    /** JDBC: a prepared statement over the same data. */
    public static long jdbc(LocalDate before) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:kiln:?tpch=0.01");
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM orders WHERE o_orderdate < ?")) {
            ps.setObject(1, before);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public static void main(String[] args) throws SQLException {
        try (Kiln kiln = Kiln.open()) {
            kiln.registerTpch(0.01);
            System.out.println("plan API:     " + planApi(kiln));
            try (var r = lateUrgentOrders(kiln).collect()) {
                for (Object[] row : r.rows()) System.out.println("late urgent:  " + java.util.Arrays.toString(row));
            }
            System.out.println("typed query:  " + typed(kiln));
            System.out.println("JDBC:         " + jdbc(LocalDate.of(1995, 1, 1)) + " orders before 1995");
        }
    }
}
