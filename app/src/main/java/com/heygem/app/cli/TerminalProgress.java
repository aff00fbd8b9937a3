package com.heygem.app.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * One progress bar line with stage, percentage and time left, redrawn in place at most five
 * times a second on a terminal; on a pipe or log file, one line per stage instead.
 */
final class TerminalProgress {
    private static final int WIDTH = 30;
    private final PrintWriter out;
    private final boolean interactive;
    private final String label;
    private String stage = "";
    private long stageStart;
    private long lastDraw;

    TerminalProgress(PrintWriter out, String label) {
        this.out = out;
        this.interactive = System.console() != null;
        this.label = label;
    }

    synchronized void update(String newStage, double fraction) {
        long now = System.nanoTime();
        if (!newStage.equals(stage)) {
            stage = newStage;
            stageStart = now;
            if (!interactive) {
                out.println("  " + label + ": " + newStage);
                out.flush();
            }
        }
        if (!interactive || (now - lastDraw < 200_000_000L && fraction < 1)) {
            return;
        }
        lastDraw = now;
        double f = Math.max(0, Math.min(1, fraction));
        int filled = (int) Math.round(f * WIDTH);
        double elapsed = (now - stageStart) / 1e9;
        String eta = f > 0.02 && f < 1 ? String.format(Locale.ROOT, " ETA %s", clock(elapsed * (1 - f) / f)) : "";
        out.printf(Locale.ROOT, "\r  %-10s [%s%s] %3.0f%% %-9s%s   ", stage, "#".repeat(filled), ".".repeat(WIDTH - filled),
                100 * f, label.length() > 24 ? label.substring(0, 24) : label, eta);
        out.flush();
    }

    /** Ends the bar's line so the next output starts clean. */
    synchronized void done() {
        if (interactive && lastDraw != 0) {
            out.print("\r" + " ".repeat(90) + "\r");
            out.flush();
        }
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
