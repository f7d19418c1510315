package dev.kiln.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 22 TPC-H queries (standard text, validation parameters) compile into well-formed Kiln plans
 * whose output has the expected names, types and nullability (re-derived by Kiln's type rules).
 */
class TpchCompileTest {
    private static final String MONEY = "DECIMAL(15,2) NOT NULL";
    private static final String SUM_MONEY = "DECIMAL(18,2) NOT NULL";
    private static final String REVENUE = "DECIMAL(18,4) NOT NULL";
    private static final String TEXT = "VARCHAR NOT NULL";
    private static final String KEY = "BIGINT NOT NULL";

    private static final Map<Integer, String> SCHEMAS = Map.ofEntries(
            Map.entry(1, "[l_returnflag " + TEXT + ", l_linestatus " + TEXT + ", sum_qty " + SUM_MONEY + ", sum_base_price " + SUM_MONEY
                    + ", sum_disc_price " + REVENUE + ", sum_charge DECIMAL(18,6) NOT NULL, avg_qty DOUBLE NOT NULL, avg_price DOUBLE NOT NULL"
                    + ", avg_disc DOUBLE NOT NULL, count_order BIGINT NOT NULL]"),
            Map.entry(2, "[s_acctbal " + MONEY + ", s_name " + TEXT + ", n_name " + TEXT + ", p_partkey " + KEY + ", p_mfgr " + TEXT
                    + ", s_address " + TEXT + ", s_phone " + TEXT + ", s_comment " + TEXT + "]"),
            Map.entry(3, "[l_orderkey " + KEY + ", revenue " + REVENUE + ", o_orderdate DATE NOT NULL, o_shippriority INTEGER NOT NULL]"),
            Map.entry(4, "[o_orderpriority " + TEXT + ", order_count BIGINT NOT NULL]"),
            Map.entry(5, "[n_name " + TEXT + ", revenue " + REVENUE + "]"),
            Map.entry(6, "[revenue DECIMAL(18,4)]"),
            Map.entry(7, "[supp_nation " + TEXT + ", cust_nation " + TEXT + ", l_year BIGINT NOT NULL, revenue " + REVENUE + "]"),
            Map.entry(8, "[o_year BIGINT NOT NULL, mkt_share DOUBLE NOT NULL]"),
            Map.entry(9, "[nation " + TEXT + ", o_year BIGINT NOT NULL, sum_profit " + REVENUE + "]"),
            Map.entry(10, "[c_custkey " + KEY + ", c_name " + TEXT + ", revenue " + REVENUE + ", c_acctbal " + MONEY + ", n_name " + TEXT
                    + ", c_address " + TEXT + ", c_phone " + TEXT + ", c_comment " + TEXT + "]"),
            Map.entry(11, "[ps_partkey " + KEY + ", value " + SUM_MONEY + "]"),
            Map.entry(12, "[l_shipmode " + TEXT + ", high_line_count BIGINT NOT NULL, low_line_count BIGINT NOT NULL]"),
            Map.entry(13, "[c_count BIGINT NOT NULL, custdist BIGINT NOT NULL]"),
            Map.entry(14, "[promo_revenue DOUBLE]"),
            Map.entry(15, "[s_suppkey " + KEY + ", s_name " + TEXT + ", s_address " + TEXT + ", s_phone " + TEXT + ", total_revenue " + REVENUE + "]"),
            Map.entry(16, "[p_brand " + TEXT + ", p_type " + TEXT + ", p_size INTEGER NOT NULL, supplier_cnt BIGINT NOT NULL]"),
            Map.entry(17, "[avg_yearly DOUBLE]"),
            Map.entry(18, "[c_name " + TEXT + ", c_custkey " + KEY + ", o_orderkey " + KEY + ", o_orderdate DATE NOT NULL, o_totalprice " + MONEY
                    + ", SUM(l_quantity) " + SUM_MONEY + "]"),
            Map.entry(19, "[revenue DECIMAL(18,4)]"),
            Map.entry(20, "[s_name " + TEXT + ", s_address " + TEXT + "]"),
            Map.entry(21, "[s_name " + TEXT + ", numwait BIGINT NOT NULL]"),
            Map.entry(22, "[cntrycode " + TEXT + ", numcust BIGINT NOT NULL, totacctbal " + SUM_MONEY + "]"));

    static String tpch(int n) {
        String name = "/tpch/q%02d.sql".formatted(n);
        try (InputStream in = TpchCompileTest.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException(name + " is missing");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> queries() {
        return SCHEMAS.keySet().stream().sorted().map(Arguments::of);
    }

    @ParameterizedTest(name = "Q{0}")
    @MethodSource("queries")
    void compilesWithExpectedSchema(int n) {
        Statement.Query q = Fixtures.query(tpch(n));
        assertEquals(SCHEMAS.get(n), q.plan().schema().toString());
        assertEquals(q.plan().schema().names(), q.columnNames());
        WellFormed.check(q.plan());
    }
}
