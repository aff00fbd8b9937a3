package com.heygem.app.accounts;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What an account may do. */
public enum Role {
    /** Everything: every batch and upload, the accounts, the clean-up, the logs. */
    ADMIN,
    /** Its own uploads and batches, and the shared template library. */
    EDITOR,
    /** Sees and downloads the batches shared with it; changes nothing. */
    VIEWER;

    public static Optional<Role> parse(String text) {
        return text == null ? Optional.empty()
                : Arrays.stream(values()).filter(r -> r.name().equalsIgnoreCase(text.trim())).findFirst();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
