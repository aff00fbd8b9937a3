package com.heygem.app.accounts;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Password tries, per account and per address: past {@code perAccount} (or {@code perAddress})
 * tries that were not right within the window, further tries are refused until the oldest
 * leaves it. Guessing a password by trying is then hopeless, and one person mistyping does not
 * lock out an office behind one address.
 *
 * <p>A try is counted when it is let through, before the password is checked ({@link #tryNow}),
 * in one step with the look at the limit: a hundred tries sent at once get no more checks than
 * the limit, where counting after the check let every one of them through. A right password
 * takes its own try back and forgets the account's wrong ones ({@link #right}). The access
 * token's tries count per address only, never against the account {@code admin}: whoever
 * guesses at admin's password cannot lock the machine's owner out of the token.
 *
 * <p>Kept in memory: a restart forgets, which costs an attacker a restart.
 */
public final class SignInThrottle {
    private static final int MAX_KEYS = 10_000;
    private final int perAccount;
    private final int perAddress;
    private final long windowNanos;
    /** Times of tries not (yet) known to be right, per key; guarded by this. */
    private final Map<String, Deque<Long>> tries = new HashMap<>();

    /** A try let through: hand it back to {@link #right} when the password was right. */
    public record Try(String accountKey, String addressKey, long at) {
    }

    public SignInThrottle(int perAccount, int perAddress, Duration window) {
        this.perAccount = perAccount;
        this.perAddress = perAddress;
        this.windowNanos = window.toNanos();
    }

    /** 5 per account, 20 per address in 15 minutes. */
    public static SignInThrottle standard() {
        return new SignInThrottle(5, 20, Duration.ofMinutes(15));
    }

    /**
     * Lets a password try for {@code account} from {@code address} through and counts it, or says
     * how long to wait.
     *
     * @return the try (to give back when the password was right), or null when refused
     */
    public synchronized Try tryNow(String account, String address) {
        return take("a:" + account, perAccount, "ip:" + address, perAddress);
    }

    /** {@link #tryNow} for the access token: counted per address only. */
    public synchronized Try tryToken(String address) {
        return take(null, 0, "token:" + address, perAddress);
    }

    /** Seconds until a try for {@code account} from {@code address} is let through; 0 when now. */
    public synchronized long waitSeconds(String account, String address) {
        long now = System.nanoTime();
        return Math.max(wait("a:" + account, perAccount, now), wait("ip:" + address, perAddress, now));
    }

    /** Seconds until a token try from {@code address} is let through; 0 when now. */
    public synchronized long tokenWaitSeconds(String address) {
        return wait("token:" + address, perAddress, System.nanoTime());
    }

    /** The password of {@code t} was right: its try is given back and the account's wrong ones forgotten. */
    public synchronized void right(Try t) {
        if (t.accountKey() != null) {
            tries.remove(t.accountKey());
        }
        Deque<Long> d = tries.get(t.addressKey());
        if (d != null) {
            d.removeLastOccurrence(t.at());
        }
    }

    /** A new password was chosen (from a set-up link): the guesses against the old one no longer matter. */
    public synchronized void forget(String account) {
        tries.remove("a:" + account);
    }

    private Try take(String accountKey, int accountLimit, String addressKey, int addressLimit) {
        long now = System.nanoTime();
        if ((accountKey != null && wait(accountKey, accountLimit, now) > 0) || wait(addressKey, addressLimit, now) > 0) {
            return null;
        }
        if (tries.size() > MAX_KEYS) {
            tries.values().removeIf(d -> d.isEmpty() || now - d.peekLast() > windowNanos);
        }
        if (accountKey != null) {
            tries.computeIfAbsent(accountKey, k -> new ArrayDeque<>()).addLast(now);
        }
        tries.computeIfAbsent(addressKey, k -> new ArrayDeque<>()).addLast(now);
        return new Try(accountKey, addressKey, now);
    }

    private long wait(String key, int limit, long now) {
        Deque<Long> d = tries.get(key);
        if (d == null) {
            return 0;
        }
        while (!d.isEmpty() && now - d.peekFirst() > windowNanos) {
            d.pollFirst();
        }
        if (d.size() < limit) {
            return 0;
        }
        // The oldest of the last `limit` tries must leave the window.
        long oldest = d.stream().skip(d.size() - limit).findFirst().orElse(now);
        return Math.max(1, (windowNanos - (now - oldest)) / 1_000_000_000L + 1);
    }
}
