/* gen_corpus.c - writes a national-scale corpus of rule files for the
 * compile benchmark.
 *
 *   gen_corpus [--seed N] [--regions R] [--per-region N] OUTDIR
 *
 * writes OUTDIR/<region>/<service>.reg for R regions (at most 20: the
 * oblystar and the three cities of republican significance) and N
 * regulations in each. OUTDIR should end in "rules" so that regc's check of
 * the region against the directory applies as it does to the real rules.
 *
 * The files are shaped like the seed regulations: 2-3 variants, 5-12 steps
 * a variant (shared steps with per-variant durations, or a block of steps
 * per variant), one or two branches to a refusal, per-channel durations,
 * a statutory term on every variant, and two information-system flows of
 * 8-15 items. The texts are Kazakh phrases composed from small word lists,
 * so the files have the length and the UTF-8 of real ones. The output is a
 * function of the seed alone: the same seed gives the same bytes. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* splitmix64: small, fast, and the same on every platform. */
static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform in lo..hi inclusive. */
static int rnd(int lo, int hi) { return lo + (int)(rng_next() % (uint64_t)(hi - lo + 1)); }

static int chance(int percent) { return rnd(1, 100) <= percent; }

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define PICK(a) ((a)[rnd(0, COUNT(a) - 1)])

static const struct {
    const char *id, *kk;
} regions[] = {
    { "abai", "Абай облысы" },
    { "akmola", "Ақмола облысы" },
    { "aktobe", "Ақтөбе облысы" },
    { "almaty_region", "Алматы облысы" },
    { "atyrau", "Атырау облысы" },
    { "east_kazakhstan", "Шығыс Қазақстан облысы" },
    { "zhambyl", "Жамбыл облысы" },
    { "zhetisu", "Жетісу облысы" },
    { "west_kazakhstan", "Батыс Қазақстан облысы" },
    { "karaganda", "Қарағанды облысы" },
    { "kostanay", "Қостанай облысы" },
    { "kyzylorda", "Қызылорда облысы" },
    { "mangystau", "Маңғыстау облысы" },
    { "pavlodar", "Павлодар облысы" },
    { "north_kazakhstan", "Солтүстік Қазақстан облысы" },
    { "turkistan", "Түркістан облысы" },
    { "ulytau", "Ұлытау облысы" },
    { "astana", "Астана қаласы" },
    { "almaty", "Алматы қаласы" },
    { "shymkent", "Шымкент қаласы" },
};

/* What the service is about: an id part and its Kazakh words. */
static const struct {
    const char *id, *kk;
} subjects[] = {
    { "grain_warehouse", "астық қоймасы қызметі" },
    { "bus_transport", "автобустармен жолаушылар тасымалдау" },
    { "small_vessel", "шағын көлемді кемелерді жүргізу" },
    { "cotton_warehouse", "мақта қоймасы қызметі" },
    { "technical_inspection", "көлік құралдарын техникалық байқау" },
    { "guardianship", "қамқоршылық пен қорғаншылық" },
    { "minor_property", "кәмелетке толмағандардың мүлкі" },
    { "pharmacy", "фармацевтикалық қызмет" },
    { "medical_practice", "медициналық қызмет" },
    { "construction", "құрылыс-монтаж жұмыстары" },
    { "land_plot", "жер учаскесін пайдалану" },
    { "hunting", "аңшылық шаруашылығы" },
    { "fishing", "балық аулау" },
    { "veterinary", "ветеринариялық қызмет" },
    { "architecture", "сәулет-құрылыс қызметі" },
    { "subsoil", "жер қойнауын пайдалану" },
    { "water_use", "су пайдалану" },
    { "education", "білім беру қызметі" },
    { "tourism", "туристік операторлық қызмет" },
    { "waste", "қалдықтарды басқару" },
    { "seed_production", "тұқым шаруашылығы" },
    { "pesticide", "пестицидтерді сату" },
    { "taxi", "такси тасымалдары" },
    { "advertising", "сыртқы (көрнекі) жарнама" },
};

static const struct {
    const char *id, *kk;
} kinds[] = {
    { "licence", "лицензия беру" },
    { "certificate", "куәлік беру" },
    { "permit", "рұқсат беру" },
    { "registration", "мемлекеттік тіркеу" },
    { "conclusion", "қорытынды беру" },
};

static const char *const months[] = { "қаңтардағы", "ақпандағы", "наурыздағы", "сәуірдегі",
                                      "мамырдағы", "маусымдағы", "шілдедегі", "тамыздағы",
                                      "қыркүйектегі", "қазандағы", "қарашадағы", "желтоқсандағы" };

static const char *const ministries[] = {
    "Қазақстан Республикасы Ауыл шаруашылығы министрінің",
    "Қазақстан Республикасы Инвестициялар және даму министрінің",
    "Қазақстан Республикасы Денсаулық сақтау министрінің",
    "Қазақстан Республикасы Білім және ғылым министрінің",
    "Қазақстан Республикасы Ұлттық экономика министрінің",
    "Қазақстан Республикасы Энергетика министрінің",
};

static const char *const departments[] = {
    "ауыл шаруашылығы басқармасы", "құрылыс, жолаушылар көлігі және автомобиль жолдары басқармасы",
    "денсаулық сақтау басқармасы",  "білім басқармасы",
    "табиғи ресурстар және табиғат пайдалануды реттеу басқармасы",
    "кәсіпкерлік және индустриялық-инновациялық даму басқармасы",
    "жер қатынастары басқармасы",   "ветеринария басқармасы",
};

/* The channels a regulation may take applications through. */
static const struct {
    const char *id, *kk;
} channel_pool[] = {
    { "state_corporation", "\\\"Азаматтарға арналған үкімет\\\" мемлекеттік корпорациясы" },
    { "portal", "\\\"электрондық үкіметтің\\\" www.egov.kz, www.elicense.kz веб-порталы" },
    { "provider", "көрсетілетін қызметті берушінің кеңсесі" },
};

static const struct {
    const char *id, *kk;
    int external;
} actor_pool[] = {
    { "office", "көрсетілетін қызметті берушінің кеңсе қызметкері", 0 },
    { "head", "көрсетілетін қызметті берушінің басшысы немесе оның орынбасары", 0 },
    { "department_head", "көрсетілетін қызметті берушінің бөлім басшысы", 0 },
    { "executor", "көрсетілетін қызметті берушінің жауапты орындаушысы", 0 },
    { "interested_body", "мүдделі орган", 1 },
    { "courier", "Мемлекеттік корпорация курьері", 1 },
};
enum { A_OFFICE, A_HEAD, A_DEPT, A_EXECUTOR, A_INTERESTED, A_COURIER };

/* Variants in the order the acts list them, with the result each issues. */
static const struct {
    const char *id, *kk, *result, *result_kk;
} variant_pool[] = {
    { "issue", "беру", "licence", "лицензия" },
    { "reissue", "қайта рәсімдеу", "reissued_licence", "қайта рәсімделген лицензия" },
    { "duplicate", "телнұсқасын беру", "duplicate", "телнұсқа" },
};

/* Steps in act order; a list takes register, some of the middle ones in
 * order, then sign and deliver. */
static const struct {
    const char *id, *kk;
    int actor;
} step_pool[] = {
    { "register", "құжаттарды қабылдау, тіркеу және басшыға жолдау", A_OFFICE },
    { "head_review", "құжаттармен танысу, жауапты орындаушыны анықтау", A_HEAD },
    { "department_review", "құжаттарды бөлім басшысының қарауы, орындаушыға жолдау", A_DEPT },
    { "check_documents", "ұсынылған құжаттардың толықтығын тексеру", A_EXECUTOR },
    { "inspect", "объектіні біліктілік талаптарына сәйкестігіне тексеру", A_EXECUTOR },
    { "interested_body_review", "мүдделі органның құжаттарды қарауы және қорытынды беруі", A_INTERESTED },
    { "expert_opinion", "сараптама жүргізу, сараптама қорытындысын дайындау", A_EXECUTOR },
    { "prepare", "мемлекеттік қызмет көрсету нәтижесінің жобасын дайындау", A_EXECUTOR },
    { "agree", "нәтиже жобасын бөлім басшысымен келісу", A_DEPT },
    { "finalise", "қорытындыны қарау, нәтижені рәсімдеу және басшыға жолдау", A_EXECUTOR },
    { "approve", "нәтиже жобасын бекіту", A_HEAD },
    { "sign", "нәтижеге немесе бас тарту туралы дәлелді жауапқа қол қою", A_HEAD },
    { "deliver", "көрсетілетін қызметті алушыға нәтижені беру", A_OFFICE },
};
enum { S_FIRST_MIDDLE = 1, S_NMIDDLE = 10, S_SIGN = 11, S_DELIVER = 12 };

static const struct {
    const char *id, *kk;
} outcome_pool[] = {
    { "incomplete", "құжаттар топтамасы толық емес: дәлелді бас тарту дайындалады" },
    { "rejected", "көрсетілетін қызметті алушы қойылатын талаптарға сәйкес емес" },
    { "not_compliant", "объект біліктілік талаптарына сәйкес келмейді" },
};

static const char *const process_texts[] = {
    "қызметкердің ақпараттық жүйеге логин мен парольді енгізуі (авторландыру)",
    "қызметті таңдау, сұрау салу нысанын экранға шығару және толтыру",
    "\\\"электрондық үкімет\\\" шлюзі арқылы \\\"Жеке тұлғалар\\\" МДБ-ға сұрау жолдау",
    "құжаттарды сканерлеу, сұрау салу нысанына қоса беру",
    "сұрау салудың толтырылған нысанын ЭЦҚ арқылы куәландыру (қол қою)",
    "электрондық құжатты \\\"Е-лицензиялау\\\" МДБ АЖ-да тіркеу",
    "\\\"электрондық үкіметтің\\\" төлем шлюзі арқылы қызметтің ақысын төлеу",
    "сұранысты өңдеу және көрсетілетін қызметті берушіге жолдау",
    "мемлекеттік қызмет көрсету нәтижесін \\\"жеке кабинетке\\\" жолдау",
    "көрсетілетін қызметті алушының нәтижені алуы",
};

static const char *const check_texts[] = {
    "тіркелген деректердің түпнұсқалығын ЖСН мен пароль арқылы тексеру",
    "\\\"Жеке тұлғалар\\\" МДБ-да алушы деректерінің болуын тексеру",
    "ЭЦҚ тіркеу куәлігінің қолданылу мерзімін және кері қайтарылмағанын тексеру",
    "төлем дерегінің болуын тексеру",
    "құжаттардың стандартта көрсетілген тізбеге сәйкестігін тексеру",
};

static const char *const failure_texts[] = {
    "деректердегі бұзушылықтарға байланысты авторландырудан бас тарту туралы хабарлама",
    "деректерді алу мүмкін еместігі туралы хабарлама қалыптастыру",
    "ЭЦҚ расталмауына байланысты қызметтен бас тарту туралы хабарлама",
    "төлемнің болмауына байланысты қызметтен бас тарту туралы хабарлама",
    "құжаттардағы бұзушылыққа байланысты қызметтен бас тарту туралы хабарлама",
};

/* ---- output ---- */

static FILE *out;

static void w(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void w(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
}

/* A duration in working minutes, to size the statutory terms; calendar
 * days are counted as whole working days, which overstates them. */
typedef struct {
    int amount;
    char unit[3];
} dur;

static int64_t working_minutes(dur d)
{
    if (strcmp(d.unit, "m") == 0)
        return d.amount;
    if (strcmp(d.unit, "h") == 0)
        return (int64_t)d.amount * 60;
    return (int64_t)d.amount * 480;
}

/* A step's duration in the proportions of the seeds: mostly minutes and
 * hours for office work, working days for review, now and then calendar
 * days. */
static dur random_duration(int actor)
{
    static const int minutes[] = { 15, 20, 30, 45 };
    dur d;
    int r = rnd(1, 100);
    if (actor == A_OFFICE || actor == A_COURIER) {
        if (r <= 60) {
            d.amount = PICK(minutes);
            strcpy(d.unit, "m");
        } else {
            d.amount = rnd(1, 4);
            strcpy(d.unit, "h");
        }
    } else if (r <= 30) {
        d.amount = rnd(1, 6);
        strcpy(d.unit, "h");
    } else if (r <= 92) {
        d.amount = rnd(1, actor == A_INTERESTED ? 15 : 5);
        strcpy(d.unit, "wd");
    } else {
        d.amount = rnd(3, 15);
        strcpy(d.unit, "cd");
    }
    return d;
}

static const char *date_text(int y, int m, int d, char *buf, size_t n)
{
    snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
    return buf;
}

typedef struct {
    int pool;                    /* index into step_pool */
    dur d;
    int at_most;
    int nbranch;
    int outcome[2], target[2];   /* target: step index, or -1 for `result refusal` */
    int target_with_refusal[2];
    int nvar_over;               /* shared steps only: per-variant durations */
    int var_over[2];
    dur var_dur[2];
    int chan_over;               /* -1, or a channel of the regulation */
    dur chan_dur;
} gstep;

typedef struct {
    int n;
    gstep s[12];
} gsteps;

/* A list of 5-12 steps with one or two forward branches to a refusal. */
static void make_steps(gsteps *l, int nvariants, const int *variants, int shared, int nchannels,
                       const int *channels)
{
    int n = rnd(5, 12);
    int middle = n - 3;
    /* Choose `middle` of the S_NMIDDLE middle steps, keeping act order. */
    int chosen[S_NMIDDLE] = { 0 };
    for (int k = 0; k < middle;) {
        int i = rnd(0, S_NMIDDLE - 1);
        if (!chosen[i]) {
            chosen[i] = 1;
            k++;
        }
    }
    l->n = 0;
    l->s[l->n++].pool = 0;
    for (int i = 0; i < S_NMIDDLE; i++)
        if (chosen[i])
            l->s[l->n++].pool = S_FIRST_MIDDLE + i;
    l->s[l->n++].pool = S_SIGN;
    l->s[l->n++].pool = S_DELIVER;

    for (int i = 0; i < n; i++) {
        gstep *s = &l->s[i];
        s->d = random_duration(step_pool[s->pool].actor);
        s->at_most = chance(35);
        s->nbranch = 0;
        s->nvar_over = 0;
        s->chan_over = -1;
        /* Per-variant durations on review steps, as in 002's `13wd [reissue 2wd, duplicate 1wd]`. */
        if (shared && i > 0 && i < n - 2 && chance(30)) {
            for (int v = 1; v < nvariants && s->nvar_over < 2; v++) {
                s->var_over[s->nvar_over] = variants[v];
                s->var_dur[s->nvar_over].amount = rnd(1, 3);
                strcpy(s->var_dur[s->nvar_over].unit, chance(50) ? "wd" : "h");
                s->nvar_over++;
            }
        }
    }
    /* Per-channel durations on the first or last step, as in `4h [portal 20m]`. */
    if (chance(70)) {
        gstep *s = &l->s[chance(50) ? 0 : n - 1];
        s->chan_over = channels[rnd(0, nchannels - 1)];
        s->chan_dur.amount = PICK(((const int[]){ 10, 15, 20 }));
        strcpy(s->chan_dur.unit, "m");
    }
    /* Branches from middle steps: on to sign with the refusal, or straight
     * to the refusal. Two branches go from two different steps. */
    int nbranches = rnd(1, 2);
    int first = -1;
    for (int b = 0; b < nbranches && middle > 0; b++) {
        int i = rnd(1, n - 3);
        if (i == first)
            continue;
        first = i;
        gstep *s = &l->s[i];
        int k = s->nbranch++;
        s->outcome[k] = rnd(0, COUNT(outcome_pool) - 1);
        if (chance(75)) {
            s->target[k] = n - 2; /* sign */
            s->target_with_refusal[k] = 1;
        } else {
            s->target[k] = -1;
            s->target_with_refusal[k] = 0;
        }
    }
}

static void write_duration(dur d) { w("%d%s", d.amount, d.unit); }

static void write_steps(const gsteps *l, const char *indent, const char *cite_prefix)
{
    for (int i = 0; i < l->n; i++) {
        const gstep *s = &l->s[i];
        w("%sstep %s \"%s\"\n", indent, step_pool[s->pool].id, step_pool[s->pool].kk);
        w("%s  by %s takes %s", indent, actor_pool[step_pool[s->pool].actor].id,
          s->at_most ? "at most " : "");
        write_duration(s->d);
        if (s->nvar_over || s->chan_over >= 0) {
            w(" [");
            for (int k = 0; k < s->nvar_over; k++) {
                w("%s%s ", k ? ", " : "", variant_pool[s->var_over[k]].id);
                write_duration(s->var_dur[k]);
            }
            if (s->chan_over >= 0) {
                w("%s%s ", s->nvar_over ? ", " : "", channel_pool[s->chan_over].id);
                write_duration(s->chan_dur);
            }
            w("]");
        }
        w(" cite \"%s%d-іс-қимыл\"\n", cite_prefix, i + 1);
        for (int k = 0; k < s->nbranch; k++) {
            w("%s  on %s \"%s\" -> ", indent, outcome_pool[s->outcome[k]].id,
              outcome_pool[s->outcome[k]].kk);
            if (s->target[k] < 0)
                w("result refusal\n");
            else
                w("%s%s\n", step_pool[l->s[s->target[k]].pool].id,
                  s->target_with_refusal[k] ? " with refusal" : "");
        }
        if (i + 1 < l->n)
            w("%s  -> %s\n", indent, step_pool[l->s[i + 1].pool].id);
        else
            w("%s  -> end\n", indent);
    }
}

/* The longest the steps can take for a variant (and any channel). */
static int64_t steps_minutes(const gsteps *l, int variant)
{
    int64_t total = 0;
    for (int i = 0; i < l->n; i++) {
        const gstep *s = &l->s[i];
        dur d = s->d;
        for (int k = 0; k < s->nvar_over; k++)
            if (s->var_over[k] == variant)
                d = s->var_dur[k];
        int64_t m = working_minutes(d);
        if (s->chan_over >= 0 && working_minutes(s->chan_dur) > m)
            m = working_minutes(s->chan_dur);
        total += m;
    }
    return total;
}

/* One information-system flow of 8-15 items in the seeds' pattern: a
 * check names its failure process, which follows it and ends in error; the
 * provider's steps run before the last process, which hands the result over. */
static void write_flow(int channel)
{
    int total = rnd(8, 15);
    w("  flow %s \"%s арқылы\"", channel_pool[channel].id, channel_pool[channel].kk);
    if (chance(30))
        w(" takes at most %dm", PICK(((const int[]){ 15, 20, 30 })));
    w(" cite \"%d-т.\" {\n", rnd(8, 12));
    int proc = 1, chk = 1, left = total;
    /* A check may not follow a check: the item after a check's failure
     * process is the check's success target, and it must be a process. */
    int after_check = 1; /* the seeds open with a process (authorisation) */
    while (left > 1) {
        if (!after_check && left >= 4 && chance(45)) {
            after_check = 1;
            w("    check c%d \"%s\" else p%d cite \"%d-шарт\" -> p%d\n", chk, PICK(check_texts), proc,
              chk, proc + 1);
            w("    process p%d \"%s\" cite \"%d-үдеріс\" -> error\n", proc, PICK(failure_texts), proc);
            chk++;
            proc++;
            left -= 2;
        } else {
            after_check = 0;
            w("    process p%d \"%s\" cite \"%d-үдеріс\"\n", proc, PICK(process_texts), proc);
            proc++;
            left--;
        }
    }
    /* the documents reach the provider; the last process hands the result over */
    w("    steps \"көрсетілетін қызметті берушінің іс-қимылдары\" cite \"5-т.\"\n");
    w("    process p%d \"%s\" cite \"%d-үдеріс\" -> end\n", proc, PICK(process_texts), proc);
    w("  }\n");
}

static void write_regulation(int region, int index, const char *dir)
{
    int subject = rnd(0, COUNT(subjects) - 1), kind = rnd(0, COUNT(kinds) - 1);
    char id[96], path[4200], date[16], date2[16];
    snprintf(id, sizeof id, "%s_%s_%04d", subjects[subject].id, kinds[kind].id, index);
    snprintf(path, sizeof path, "%s/%s.reg", dir, id);
    out = fopen(path, "w");
    if (!out) {
        fprintf(stderr, "gen_corpus: cannot write %s: %s\n", path, strerror(errno));
        exit(1);
    }
    const char *rkk = regions[region].kk;

    w("// Benchmark corpus (bench/gen_corpus.c): a made-up regulation shaped like the seeds.\n");
    w("regulation %s {\n", id);
    w("  title kk \"%s бойынша %s (%d)\"\n", subjects[subject].kk, kinds[kind].kk, index);
    if (chance(40))
        w("  title ru \"Выдача документа по виду деятельности № %d\"\n", index);
    w("  region %s\n", regions[region].id);
    int y = rnd(2015, 2020), m = rnd(1, 12), d = rnd(1, 28);
    w("  act \"%s әкімдігінің %d жылғы %d %s № %d қаулысы (%s Әділет департаментінде № %d болып "
      "тіркелген)\"\n",
      rkk, y, d, months[m - 1], rnd(1, 400), rkk, rnd(2000, 4000));
    if (chance(30))
        w("  amended \"%s әкімдігінің %d жылғы %d %s № %d қаулысы\"\n", rkk, y + 1, rnd(1, 28),
          months[rnd(0, 11)], rnd(1, 400));
    w("  standard \"%s %d жылғы %d %s № %d бұйрығы (НҚА мемлекеттік тіркеу тізілімінде № %d)\"\n",
      PICK(ministries), y - 1, rnd(1, 28), months[rnd(0, 11)], rnd(1, 700), rnd(10000, 12000));
    int repealed = chance(30);
    w("  valid from %s", date_text(y, m, d, date, sizeof date));
    if (repealed)
        w(" until %s", date_text(y + rnd(1, 4), rnd(1, 12), rnd(1, 28), date2, sizeof date2));
    w("\n");
    if (repealed)
        w("  repealed \"%s әкімдігінің қаулысы, № %d\"\n", rkk, rnd(1, 400));
    w("  provider \"\\\"%s әкімдігінің %s\\\" коммуналдық мемлекеттік мекемесі\"\n", rkk,
      PICK(departments));
    w("  form electronic, paper\n\n");

    /* Two channels, in pool order, each with its flow. */
    int channels[3], nchannels = 0;
    int skip = rnd(0, 2);
    for (int c = 0; c < 3; c++)
        if (c != skip)
            channels[nchannels++] = c;
    for (int c = 0; c < nchannels; c++)
        w("  channel %s \"%s\"\n", channel_pool[channels[c]].id, channel_pool[channels[c]].kk);
    w("\n");

    int nvariants = rnd(2, 3);
    int variants[3] = { 0, 1, 2 };
    if (nvariants == 2 && chance(50))
        variants[1] = 2;
    for (int v = 0; v < nvariants; v++)
        w("  result %s \"%s\"\n", variant_pool[variants[v]].result, variant_pool[variants[v]].result_kk);
    w("  result refusal \"мемлекеттік қызметті көрсетуден бас тарту туралы дәлелді жауап\" negative\n\n");

    /* Shared steps with per-variant durations, or a block per variant. */
    int shared = chance(50);
    gsteps lists[3];
    if (shared)
        make_steps(&lists[0], nvariants, variants, 1, nchannels, channels);
    else
        for (int v = 0; v < nvariants; v++)
            make_steps(&lists[v], nvariants, variants, 0, nchannels, channels);

    /* The actors the steps name, in pool order (regc warns of idle ones). */
    int used[COUNT(actor_pool)] = { 0 };
    for (int v = 0; v < (shared ? 1 : nvariants); v++)
        for (int i = 0; i < lists[v].n; i++)
            used[step_pool[lists[v].s[i].pool].actor] = 1;
    for (int a = 0; a < COUNT(actor_pool); a++)
        if (used[a])
            w("  actor %s \"%s\"%s\n", actor_pool[a].id, actor_pool[a].kk,
              actor_pool[a].external ? " external" : "");
    w("\n");

    for (int v = 0; v < nvariants; v++) {
        const gsteps *l = &lists[shared ? 0 : v];
        int vid = variants[v];
        w("  variant %s \"%s %s\" result %s", variant_pool[vid].id, kinds[kind].kk,
          variant_pool[vid].kk, variant_pool[vid].result);
        /* A term the steps fit in, so the corpus is free of warnings. */
        int64_t wd = (steps_minutes(l, vid) + 479) / 480 + rnd(1, 5);
        w("\n    term %s%dwd from \"құжаттар топтамасын тапсырған сәт\"", chance(50) ? "at most " : "",
          (int)wd);
        w(" cite \"5-т. %d)\"", v + 1);
        if (shared) {
            w("\n");
        } else {
            char prefix[64];
            snprintf(prefix, sizeof prefix, "5-т. %d) ", v + 1);
            w(" {\n");
            write_steps(l, "    ", prefix);
            w("  }\n");
        }
    }
    w("\n");
    if (shared) {
        write_steps(&lists[0], "  ", "5-т. ");
        w("\n");
    }

    /* Two flows: the first two channels. */
    write_flow(channels[0]);
    w("\n");
    write_flow(channels[1]);
    w("}\n");
    if (fclose(out) != 0) {
        fprintf(stderr, "gen_corpus: cannot write %s\n", path);
        exit(1);
    }
}

/* mkdir -p */
static void make_dir(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "gen_corpus: cannot create %s: %s\n", buf, strerror(errno));
            exit(1);
        }
        *p = saved;
        if (!saved)
            break;
    }
}

static void usage(void)
{
    fputs("usage: gen_corpus [--seed N] [--regions R] [--per-region N] OUTDIR\n"
          "writes OUTDIR/<region>/<service>.reg (R <= 20 regions, N files each)\n",
          stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    unsigned long long seed = 1;
    int nregions = 20, per_region = 750;
    const char *outdir = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--regions") == 0 && i + 1 < argc)
            nregions = atoi(argv[++i]);
        else if (strcmp(argv[i], "--per-region") == 0 && i + 1 < argc)
            per_region = atoi(argv[++i]);
        else if (argv[i][0] == '-' || outdir)
            usage();
        else
            outdir = argv[i];
    }
    if (!outdir || nregions < 1 || nregions > COUNT(regions) || per_region < 1)
        usage();
    make_dir(outdir);
    for (int r = 0; r < nregions; r++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/%s", outdir, regions[r].id);
        make_dir(dir);
        for (int i = 0; i < per_region; i++) {
            /* Each file has its own stream, so a file does not change when
             * the counts do: the first N files of a region are the same at
             * every corpus size. */
            rng_state = seed ^ ((uint64_t)r << 32) ^ (uint64_t)i * 0x2545F4914F6CDD1DULL;
            rng_next();
            write_regulation(r, i, dir);
        }
    }
    printf("%d files in %s\n", nregions * per_region, outdir);
    return 0;
}
