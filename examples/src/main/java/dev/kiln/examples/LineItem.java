package dev.kiln.examples;

import dev.kiln.annotations.Column;
import dev.kiln.annotations.KilnTable;
import java.math.BigDecimal;
import java.time.LocalDate;

/** The columns of TPC-H's lineitem that the examples' queries use: {@code shipDate} is {@code l_shipdate}. */
@KilnTable(value = "lineitem", prefix = "l_")
public record LineItem(long orderKey, long partKey, int lineNumber, BigDecimal quantity, BigDecimal extendedPrice, @Column(notNull = true) BigDecimal discount, BigDecimal tax,
                       String returnFlag, String lineStatus, LocalDate shipDate, LocalDate commitDate, LocalDate receiptDate, String shipMode) {}
