/* The C floor of the loop benchmark: clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME) at a fixed
 * rate, printing the wake-up lateness percentiles in nanoseconds: "cycles p50 p99 p999 max". */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int cmp(const void *a, const void *b) {
    long x = *(const long *) a, y = *(const long *) b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    long hz = argc > 1 ? atol(argv[1]) : 1000;
    long cycles = argc > 2 ? atol(argv[2]) : 1000;
    long period = 1000000000L / hz;
    long *late = malloc(sizeof(long) * cycles);
    struct timespec next, now;
    clock_gettime(CLOCK_MONOTONIC, &next);
    for (long i = 0; i < cycles; i++) {
        next.tv_nsec += period;
        while (next.tv_nsec >= 1000000000L) {
            next.tv_nsec -= 1000000000L;
            next.tv_sec++;
        }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
        clock_gettime(CLOCK_MONOTONIC, &now);
        late[i] = (now.tv_sec - next.tv_sec) * 1000000000L + (now.tv_nsec - next.tv_nsec);
    }
    qsort(late, cycles, sizeof(long), cmp);
    long p50 = late[(long) (0.5 * (cycles - 1))], p99 = late[(long) (0.99 * (cycles - 1))];
    long p999 = late[(long) (0.999 * (cycles - 1))], max = late[cycles - 1];
    printf("%ld %ld %ld %ld %ld\n", cycles, p50, p99, p999, max);
    return 0;
}
