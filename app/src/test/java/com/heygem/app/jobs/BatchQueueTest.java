package com.heygem.app.jobs;

import com.heygem.app.store.Database;
import java.nio.file.Path;

/** The queue on the embedded database (the default). */
class BatchQueueTest extends BatchQueueContract {
    @Override
    Database openDatabase(Path data) {
        return Database.embedded(data.resolve("db"));
    }
}
