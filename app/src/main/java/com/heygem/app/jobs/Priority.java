package com.heygem.app.jobs;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How urgent a batch is. Its items run before every item of a lower priority that has not
 * started yet; among equals, by the batch's place in the queue. The numbers are db-scheduler's
 * scale, stored with each execution so the scheduler itself takes the most urgent first.
 */
public enum Priority {
    HIGH(70), NORMAL(50), LOW(30);

    private final int value;

    Priority(int value) {
        this.value = value;
    }

    /** As stored in the schedule and in {@code batches.priority}. */
    public int value() {
        return value;
    }

    /** The priority stored as {@code value}; NORMAL for a value no priority has. */
    public static Priority of(int value) {
        return Arrays.stream(values()).filter(p -> p.value == value).findFirst().orElse(NORMAL);
    }

    /** "high", "normal" or "low", in any case; empty for anything else. */
    public static Optional<Priority> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(p -> p.name().equalsIgnoreCase(text.trim())).findFirst();
    }

    /** As the API writes it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
