package com.heygem.app.accounts;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed sign-ins, per account and per address: past {@code perAccount} (or {@code perAddress})
 * failures within the window, further tries are refused until the oldest leaves it. Guessing a
 * password by trying is then hopeless, and one person mistyping does not lock out an office
 * behind one address. Kept in memory: a restart forgets, which costs an attacker a restart.
 */
public final class SignInThrottle {
    private static final int MAX_KEYS = 10_000;
    private final int perAccount;
    private final int perAddress;
    private final long windowNanos;
    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

    public SignInThrottle(int perAccount, int perAddress, Duration window) {
        this.perAccount = perAccount;
        this.perAddress = perAddress;
        this.windowNanos = window.toNanos();
    }

    /** 5 per account, 20 per address in 15 minutes. */
    public static SignInThrottle standard() {
        return new SignInThrottle(5, 20, Duration.ofMinutes(15));
    }

    /** Seconds until a try for this account from this address is allowed; 0 when it is now. */
    public long waitSeconds(String account, String address) {
        long now = System.nanoTime();
        return Math.max(wait("a:" + account, perAccount, now), wait("ip:" + address, perAddress, now));
    }

    public void failed(String account, String address) {
        long now = System.nanoTime();
        if (failures.size() > MAX_KEYS) {
            failures.values().removeIf(d -> {
                synchronized (d) {
                    return d.isEmpty() || now - d.peekLast() > windowNanos;
                }
            });
        }
        for (String key : new String[] {"a:" + account, "ip:" + address}) {
            Deque<Long> d = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
            synchronized (d) {
                d.addLast(now);
                while (d.size() > Math.max(perAccount, perAddress)) {
                    d.pollFirst();
                }
            }
        }
    }

    /** A right password: the account's failures are forgotten (the address's stay). */
    public void succeeded(String account) {
        failures.remove("a:" + account);
    }

    private long wait(String key, int limit, long now) {
        Deque<Long> d = failures.get(key);
        if (d == null) {
            return 0;
        }
        synchronized (d) {
            while (!d.isEmpty() && now - d.peekFirst() > windowNanos) {
                d.pollFirst();
            }
            if (d.size() < limit) {
                return 0;
            }
            // The oldest of the last `limit` failures must leave the window.
            long oldest = d.stream().skip(d.size() - limit).findFirst().orElse(now);
            return Math.max(1, (windowNanos - (now - oldest)) / 1_000_000_000L + 1);
        }
    }
}
