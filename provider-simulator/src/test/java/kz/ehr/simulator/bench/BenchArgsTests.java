package kz.ehr.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A typo in {@code ./ehr bench} is refused before a platform is started and a whole default bench run. */
class BenchArgsTests {
    @Test
    void theLaunchersAndTheDocumentedArgumentsPass() {
        assertThat(Bench.problem(new String[] {"--check", "--only", "pipeline", "--records", "1000000", "--catch-up-timeout",
                "600", "--keys", "a:b", "--kafka", "127.0.0.1:9092", "--pg-user", "postgres", "--out", "docs"})).isNull();
        assertThat(Bench.problem(new String[] {"--only", "report"})).isNull();
        assertThat(Bench.problem(new String[0])).isNull();
    }

    @Test
    void anUnknownOptionAMissingValueOrAnUnknownScenarioIsNamed() {
        assertThat(Bench.problem(new String[] {"--recods", "5"})).isEqualTo("unknown option --recods");
        assertThat(Bench.problem(new String[] {"--records"})).isEqualTo("--records needs a value");
        assertThat(Bench.problem(new String[] {"--records", "--only", "pipeline"})).isEqualTo("--records needs a value");
        assertThat(Bench.problem(new String[] {"--only", "kafka,pipline"})).isEqualTo("unknown scenario pipline in --only");
        assertThat(Bench.problem(new String[] {"pipeline"})).isEqualTo("unknown option pipeline");
        assertThat(Bench.problem(new String[] {"--warm-up", "-5"})).isEqualTo("--warm-up needs a whole number of records (0 for none), not -5");
        assertThat(Bench.problem(new String[] {"--warm-up", "1e5"})).isEqualTo("--warm-up needs a whole number of records (0 for none), not 1e5");
        assertThat(Bench.problem(new String[] {"--records", "0"})).isEqualTo("--records needs a whole number above 0, not 0");
        assertThat(Bench.problem(new String[] {"--warm-up", "0", "--records", "300000"})).isNull();
    }
}
