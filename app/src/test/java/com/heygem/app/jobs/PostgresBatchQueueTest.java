package com.heygem.app.jobs;

import com.heygem.app.store.Database;
import com.heygem.app.testing.PostgresServer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The same queue rules on a real PostgreSQL server (a new database for each test). */
class PostgresBatchQueueTest extends BatchQueueContract {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static PostgresServer server;

    @BeforeAll
    static void start() throws Exception {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    Database openDatabase(Path data) throws Exception {
        return Database.server(server.createDatabase("queue" + NEXT.incrementAndGet()), "heygem", "");
    }
}
