package dev.kiln.examples;

import dev.kiln.annotations.KilnTable;
import java.math.BigDecimal;
import java.time.LocalDate;

/** TPC-H's orders, as far as the examples read it. */
@KilnTable(value = "orders", prefix = "o_")
public record Order(long orderKey, long custKey, String orderStatus, BigDecimal totalPrice, LocalDate orderDate, String orderPriority) {}
