package com.heygem.app.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes: Argon2id (Bouncy Castle's implementation) with OWASP's minimum cost, 19 MiB
 * of memory and 2 passes, kept in the usual {@code $argon2id$v=19$m=…,t=…,p=…$salt$hash} form so
 * a later, costlier setting still reads the hashes made before it.
 */
public final class Passwords {
    static final int MEMORY_KIB = 19 * 1024;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    /** Shorter passwords are refused. */
    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 200;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    private Passwords() {
    }

    public static String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] out = derive(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$" + B64.encodeToString(salt)
                + "$" + B64.encodeToString(out);
    }

    /** Whether {@code password} is the one {@code encoded} was made from (false for anything unreadable). */
    public static boolean matches(String password, String encoded) {
        if (password == null || encoded == null) {
            return false;
        }
        String[] parts = encoded.split("\\$");
        if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
            return false;
        }
        try {
            int m = 0;
            int t = 0;
            int p = 0;
            for (String kv : parts[3].split(",")) {
                int v = Integer.parseInt(kv.substring(2));
                switch (kv.charAt(0)) {
                    case 'm' -> m = v;
                    case 't' -> t = v;
                    case 'p' -> p = v;
                    default -> {
                        return false;
                    }
                }
            }
            byte[] salt = Base64.getDecoder().decode(parts[4]);
            byte[] expected = Base64.getDecoder().decode(parts[5]);
            if (m < 8 || m > (1 << 22) || t < 1 || t > 100 || p < 1 || p > 16 || expected.length < 16) {
                return false; // not one of ours: refuse rather than spend a gigabyte on it
            }
            return MessageDigest.isEqual(derive(password, salt, m, t, p, expected.length), expected);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Why {@code password} cannot be used by {@code name}, in English and Chinese; empty when it can. */
    public static Optional<String[]> weakness(String password, String name) {
        if (password == null || password.length() < MIN_LENGTH) {
            return Optional.of(new String[] {"A password needs at least " + MIN_LENGTH + " characters",
                    "密码至少需要 " + MIN_LENGTH + " 个字符"});
        }
        if (password.length() > MAX_LENGTH) {
            return Optional.of(new String[] {"A password may have at most " + MAX_LENGTH + " characters",
                    "密码最多 " + MAX_LENGTH + " 个字符"});
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (name != null && name.length() >= 3 && lower.contains(name.toLowerCase(Locale.ROOT))) {
            return Optional.of(new String[] {"A password must not contain the account's name",
                    "密码中不能包含账号名"});
        }
        if (password.chars().distinct().count() < 3) {
            return Optional.of(new String[] {"That password is too easy to guess (one or two characters repeated)",
                    "该密码太容易被猜到（只由一两个字符重复组成）"});
        }
        if (CommonPasswords.LIST.contains(lower)) {
            return Optional.of(new String[] {"That password is among the 10,000 most common ones, which are tried first",
                    "该密码属于最常见的一万个密码之一，会被最先尝试"});
        }
        return Optional.empty();
    }

    /**
     * Spends the time of checking a password against a hash of ours, for a name that has no
     * account: a wrong password for an unknown name then answers as slowly as for a known one,
     * so answers do not tell which names exist.
     */
    public static void spendACheck(String password) {
        matches(password == null ? "" : password, DUMMY);
    }

    /** A hash of a random password, made once: checked against when there is no account. */
    private static final String DUMMY = hash(Long.toHexString(RANDOM.nextLong()));

    /** The most common passwords (a ranked list shipped in the jar), lower case. */
    private static final class CommonPasswords {
        static final java.util.Set<String> LIST = load();

        private static java.util.Set<String> load() {
            java.util.Set<String> out = new java.util.HashSet<>(16_384);
            try (java.io.InputStream in = Passwords.class.getResourceAsStream("/accounts/common-passwords.txt")) {
                if (in == null) {
                    throw new IllegalStateException("accounts/common-passwords.txt is missing from the jar");
                }
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    String p = line.trim();
                    if (!p.isEmpty() && !p.startsWith("#")) {
                        out.add(p.toLowerCase(Locale.ROOT));
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return out;
        }
    }

    private static byte[] derive(String password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
        Argon2BytesGenerator g = new Argon2BytesGenerator();
        g.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt).withMemoryAsKB(memoryKib).withIterations(iterations).withParallelism(parallelism).build());
        byte[] out = new byte[length];
        g.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
