package com.heygem.app.jobs;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress inside this process, for whoever listens (the web page's event stream). A listener
 * that throws is logged and skipped; it never stops a render.
 */
public final class ProgressBus {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressBus.class);
    private final List<Consumer<ItemProgress>> listeners = new CopyOnWriteArrayList<>();

    /** @return a handle whose {@code close()} removes the listener */
    public AutoCloseable listen(Consumer<ItemProgress> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void publish(ItemProgress event) {
        for (Consumer<ItemProgress> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("a progress listener failed: {}", e.toString());
            }
        }
    }
}
