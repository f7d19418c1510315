package dev.kiln.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.KilnException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness side of the Spark peer without Spark: the row protocol and the Spark-vs-DuckDB comparison. */
class SparkPeerTest {
    @Test
    void rowsDecodeToTheValuesTheComparisonExpects() {
        Object[] row = SparkPeer.decodeRow("s:a\\tb\\\\c\\nd\tN\td:-12.3400\tf:0.5\ti:-7\tt:1998-09-02\tb:true\ts:");
        assertArrayEquals(new Object[] {"a\tb\\c\nd", null, new BigDecimal("-12.3400"), 0.5, -7L, LocalDate.of(1998, 9, 2), true, ""}, row);
        assertEquals(new BigDecimal("-12.3400").scale(), ((BigDecimal) row[2]).scale(), "the scale survives");
        assertArrayEquals(new Object[] {"x"}, SparkPeer.decodeRow("s:x"));
    }

    @Test
    void malformedValuesAreErrors() {
        assertThrows(KilnException.class, () -> SparkPeer.decodeValue("x:1"));
        assertThrows(KilnException.class, () -> SparkPeer.decodeValue("12"));
        assertThrows(NumberFormatException.class, () -> SparkPeer.decodeValue("i:twelve"));
    }

    @Test
    void sparkDecimalsMatchWithinTheirLastPlace() {
        // AVG: DuckDB answers a DOUBLE, Spark a DECIMAL(19,6) rounded at its sixth place
        assertTrue(Main.sameForSpark(25.522005853257337, new BigDecimal("25.522006")));
        assertFalse(Main.sameForSpark(25.522005853257337, new BigDecimal("25.522008")));
        // the coarser scale decides: DuckDB's 2 places against Spark's 6
        assertTrue(Main.sameForSpark(new BigDecimal("15.49"), new BigDecimal("15.486500")));
        assertFalse(Main.sameForSpark(new BigDecimal("15.49"), new BigDecimal("15.501")));
        assertTrue(Main.sameForSpark(new BigDecimal("3.00"), 3L));
        assertFalse(Main.sameForSpark(new BigDecimal("3.00"), 4L));
        // everything else as strictly as for Kiln
        assertTrue(Main.sameForSpark(7L, 7L));
        assertFalse(Main.sameForSpark(7L, 8L));
        assertFalse(Main.sameForSpark(null, 0L));
        assertTrue(Main.sameForSpark(null, null));
        assertTrue(Main.sameForSpark(LocalDate.of(1995, 3, 15), LocalDate.of(1995, 3, 15)));
        assertFalse(Main.sameForSpark("Customer#1", "Customer#2"));
        assertFalse(Main.sameForSpark(1.0, 1.0001));
    }

    @Test
    void kilnIsComparedExactly() {
        assertFalse(Main.same(new BigDecimal("15.49"), new BigDecimal("15.486500")));
        assertTrue(Main.same(new BigDecimal("15.490"), new BigDecimal("15.49")));
    }

    @Test
    void aMismatchNamesQueryRowAndColumn() {
        var e = assertThrows(KilnException.class, () -> Main.verify("Q3", "Spark", java.util.List.<Object[]>of(new Object[] {1L, "a"}),
                java.util.List.<Object[]>of(new Object[] {1L, "b"}), Main::sameForSpark));
        assertEquals("Q3 row 0 column 2: Spark b vs DuckDB a", e.getMessage());
        e = assertThrows(KilnException.class, () -> Main.verify("Q3", "Spark", java.util.List.<Object[]>of(new Object[] {1L}),
                java.util.List.<Object[]>of(), Main::sameForSpark));
        assertEquals("Q3: Spark returned 0 rows, DuckDB 1", e.getMessage());
    }

    @Test
    void aMissingPeerProjectIsAClearError(@TempDir Path dir) {
        var e = assertThrows(KilnException.class, () -> SparkPeer.build(dir.resolve("nowhere")));
        assertTrue(e.getMessage().startsWith("no Spark peer project at "), e.getMessage());
    }

    @Test
    void theBuiltClassPathIsReusedWhileNothingChanged(@TempDir Path dir) throws Exception {
        // a peer project that looks built: classes, a class path whose entries exist, stamp newer than sources
        Path project = dir.resolve("peer");
        Files.createDirectories(project.resolve("src/main/java"));
        Files.writeString(project.resolve("pom.xml"), "<project/>");
        Files.writeString(project.resolve("src/main/java/A.java"), "class A {}");
        Path jar = Files.writeString(dir.resolve("dep.jar"), "");
        Files.createDirectories(project.resolve("target/classes"));
        Path cp = Files.writeString(project.resolve("target/classpath.txt"), jar.toString());
        Files.setLastModifiedTime(cp, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertEquals(java.util.List.of(project.resolve("target/classes").toAbsolutePath().toString(), jar.toString()), SparkPeer.build(project));
    }
}
