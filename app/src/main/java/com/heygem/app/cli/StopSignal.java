package com.heygem.app.cli;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * A request to stop the process: SIGTERM (a service manager, {@code kill}), SIGINT (Ctrl-C) or
 * SIGHUP (the terminal closed). Handled here rather than by a shutdown hook so that the stop runs
 * on the command's own thread, in order, while everything is still open: the embedded database
 * (H2 closes itself in its own hook otherwise, before the queue has handed its item back), then
 * the process exits 0. A second request while stopping ends the process at once; the item it
 * was rendering runs again at the next start.
 */
final class StopSignal {
    private static final Logger LOG = LoggerFactory.getLogger(StopSignal.class);
    private static final String[] SIGNALS = {"TERM", "INT", "HUP"};
    /** The exit code of a second, impatient request (128 + SIGINT, as shells report Ctrl-C). */
    static final int FORCED_EXIT = 130;

    private final CountDownLatch asked = new CountDownLatch(1);

    private StopSignal() {
    }

    static StopSignal install() {
        StopSignal s = new StopSignal();
        for (String name : SIGNALS) {
            try {
                Signal.handle(new Signal(name), s::received);
            } catch (IllegalArgumentException e) {
                // Not on this system (or taken by the JVM): that signal keeps its default.
            }
        }
        return s;
    }

    private void received(Signal signal) {
        if (asked.getCount() == 0) {
            LOG.warn("SIG{} again while stopping: stopping now; the item being rendered runs again at the next start",
                    signal.getName());
            Runtime.getRuntime().halt(FORCED_EXIT);
        }
        LOG.info("SIG{} received: stopping", signal.getName());
        asked.countDown();
    }

    /** Whether a stop was asked for. */
    boolean asked() {
        return asked.getCount() == 0;
    }

    /** Blocks until a stop is asked for. */
    void await() throws InterruptedException {
        asked.await();
    }
}
