package com.heygem.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database's spare room: set aside when there is space, given back on a full disk, owed until then. */
class SpareRoomTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path data;

    @Test
    void isSetAsideGivenBackWhenTheDiskIsFullAndOwedUntilThereIsSpaceAgain() throws Exception {
        SpareRoom room = new SpareRoom(data.resolve("db").resolve("spare-room"), 2 * MIB);
        Path file = data.resolve("db").resolve("spare-room");

        assertThat(room.adjust(5 * MIB, 4 * MIB)).as("no space for it and the reserve").isFalse();
        assertThat(file).doesNotExist();
        assertThat(room.adjust(6 * MIB, 4 * MIB)).isTrue();
        assertThat(Files.size(file)).isEqualTo(2 * MIB);
        assertThat(room.held()).isTrue();
        assertThat(room.owed()).isFalse();

        assertThat(room.adjust(SpareRoom.FULL_BELOW, 4 * MIB)).as("low but not full: kept").isFalse();
        assertThat(room.adjust(SpareRoom.FULL_BELOW - 1, 4 * MIB)).as("full to the last bytes").isTrue();
        assertThat(file).doesNotExist();
        assertThat(room.owed()).isTrue();

        assertThat(room.adjust(5 * MIB, 4 * MIB)).isFalse();
        assertThat(room.owed()).isTrue();
        assertThat(room.adjust(6 * MIB, 4 * MIB)).isTrue();
        assertThat(room.owed()).isFalse();
        // A restart finds it set aside.
        assertThat(new SpareRoom(file, 2 * MIB).held()).isTrue();
    }

    @Test
    void aStorageGuardCountsTheRoomGivenBackAsStillNeeded() throws Exception {
        // A reserve over the free space: the guard's watch can never set the room aside again.
        long reserve = Files.getFileStore(data).getUsableSpace() + MIB;
        SpareRoom room = new SpareRoom(data.resolve("spare-room"), MIB);
        assertThat(room.adjust(Long.MAX_VALUE / 4, 0)).isTrue();
        try (StorageGuard guard = new StorageGuard(data, reserve)) {
            guard.keep(room);
            assertThat(guard.required()).isEqualTo(reserve);
            guard.databaseRanOut();
            assertThat(room.owed()).isTrue();
            assertThat(guard.required()).isEqualTo(reserve + MIB);
        }
    }

    @Test
    void theRoomIsHalfTheReserveWhenThatIsSmaller() {
        assertThat(SpareRoom.forDatabase(data, 512 * MIB).size()).isEqualTo(SpareRoom.SIZE);
        assertThat(SpareRoom.forDatabase(data, 20 * MIB).size()).isEqualTo(10 * MIB);
    }
}
