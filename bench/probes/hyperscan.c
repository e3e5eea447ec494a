/* The injection rules' patterns in Hyperscan (Vectorscan), for comparison with aisecops's own
 * matcher: how fast does a specialised multi-pattern engine run the same patterns over the
 * same normalised texts? Reads what `detector-bench --export DIR` wrote, compiles every ASCII
 * pattern into one block-mode database (each reported once a text), scans every text in the
 * mixed-text row's order, and prints MB/s and nanoseconds a text for three rounds.
 *
 *   usage: hyperscan DIR [PATTERNS]   (PATTERNS defaults to DIR/patterns.tsv)
 *
 * Not part of the build or of CI: run.sh installs the library, builds and runs it. */
#include <hs/hs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Each match sets its rule's bit (the rules only ask whether a rule matched). */
static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx) {
    (void)from, (void)to, (void)flags;
    ((uint64_t *)ctx)[id / 64] |= 1ull << (id % 64);
    return 0;
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc(*len + 1);
    if (!buf || fread(buf, 1, *len, f) != *len) { perror(path); exit(1); }
    buf[*len] = 0;
    fclose(f);
    return buf;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s DIR [PATTERNS]\n", argv[0]); return 2; }
    char path[4096];
    snprintf(path, sizeof path, "%s/patterns.tsv", argv[1]);
    size_t plen;
    char *tsv = slurp(argc > 2 ? argv[2] : path, &plen);
    const char *patterns[256];
    unsigned flags[256], ids[256];
    unsigned n = 0;
    for (char *line = strtok(tsv, "\n"); line && n < 256; line = strtok(NULL, "\n")) {
        char *ascii = strchr(line, '\t');
        char *pattern = ascii ? strchr(ascii + 1, '\t') : NULL;
        if (!pattern || strncmp(ascii + 1, "true", 4) != 0) continue; /* ASCII patterns only */
        patterns[n] = pattern + 1;
        flags[n] = HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY;
        ids[n] = n;
        n++;
    }
    hs_database_t *db;
    hs_compile_error_t *err;
    if (hs_compile_multi(patterns, flags, ids, n, HS_MODE_BLOCK, NULL, &db, &err) != HS_SUCCESS) {
        fprintf(stderr, "pattern %d: %s\n", err->expression, err->message);
        return 1;
    }
    size_t size;
    hs_database_size(db, &size);
    hs_scratch_t *scratch = NULL;
    if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) { fprintf(stderr, "no scratch\n"); return 1; }
    snprintf(path, sizeof path, "%s/texts.bin", argv[1]);
    size_t len;
    char *texts = slurp(path, &len);
    size_t count = 0, bytes = 0;
    for (size_t at = 0; at + 4 <= len; count++) {
        uint32_t l;
        memcpy(&l, texts + at, 4);
        bytes += l;
        at += 4 + l;
    }
    printf("%u patterns (database %zu bytes), %zu texts, %zu bytes\n", n, size, count, bytes);
    uint64_t matched = 0;
    for (int round = 0; round < 4; round++) {
        const int passes = 20;
        double start = now();
        for (int p = 0; p < passes; p++) {
            for (size_t at = 0; at + 4 <= len;) {
                uint32_t l;
                memcpy(&l, texts + at, 4);
                uint64_t rules[4] = {0};
                hs_scan(db, texts + at + 4, l, 0, scratch, on_match, rules);
                for (int w = 0; w < 4; w++) matched += (uint64_t)__builtin_popcountll(rules[w]);
                at += 4 + l;
            }
        }
        double seconds = now() - start;
        /* The first round warms the caches and is not reported. */
        if (round > 0)
            printf("round %d: %.0f MB/s, %.0f ns a text\n", round, passes * bytes / seconds / 1e6, seconds / passes / count * 1e9);
    }
    printf("rules matched (all rounds): %llu\n", (unsigned long long)matched);
    return 0;
}
