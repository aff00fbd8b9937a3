package com.heygem.app.store;

import com.heygem.app.jobs.BatchState;
import java.time.Instant;
import java.util.Set;

/**
 * Which batches a list shows and in what order: History's search, filters, sort and page.
 *
 * @param viewer  the account whose own and shared batches are listed; null for all (admin)
 * @param search  words found in the batch's name, its speech's or any presenter's file name
 *                (case-insensitive, every word must match); null for any
 * @param states  the batch states to show (derived from the items); empty for any
 * @param ownerId only this account's batches; null for anyone's
 * @param from    created at or after; null for no bound
 * @param until   created before; null for no bound
 */
public record BatchFilter(String viewer, String search, Set<BatchState> states, String ownerId, Instant from,
        Instant until, Sort sort, int limit, int offset) {

    /** History's orders. */
    public enum Sort {
        NEWEST("b.submitted desc"), OLDEST("b.submitted asc"),
        NAME("lower(coalesce(b.name, b.audio_name, a.file_name)) asc, b.submitted desc"), SIZE("count(*) desc, b.submitted desc");

        final String sql;

        Sort(String sql) {
            this.sql = sql;
        }
    }

    public BatchFilter {
        states = states == null ? Set.of() : Set.copyOf(states);
        sort = sort == null ? Sort.NEWEST : sort;
        search = search == null || search.isBlank() ? null : search.trim();
    }
}
