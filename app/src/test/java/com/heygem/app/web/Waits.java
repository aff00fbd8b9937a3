package com.heygem.app.web;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting in tests for the state a step needs, never for a fixed time. */
final class Waits {
    private Waits() {
    }

    /** Returns once {@code done} holds; fails with {@code what} when it has not within {@code limit}. */
    static void until(BooleanSupplier done, Duration limit, String what) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what);
            }
            Thread.sleep(50);
        }
    }

    /** What {@code value} gives once it gives something (not null); fails with {@code what} after {@code limit}. */
    static <T> T value(java.util.concurrent.Callable<T> value, Duration limit, String what) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            T v = value.call();
            if (v != null) {
                return v;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError(what);
            }
            Thread.sleep(50);
        }
    }
}
