// mojasim: the command line. Wiring only: each command calls into its library.
#include "payment-hub/serve.hpp"
#include "simulator/central/serve.hpp"
#include "simulator/core/log.hpp"
#include "simulator/dfsp/serve.hpp"
#include "simulator/mapper/serve.hpp"
#include "tools/bench/process.hpp"
#include "tools/bench/bench_e2e.hpp"
#include "tools/bench/bench_http.hpp"
#include "tools/bench/bench_switch.hpp"
#include "tools/report/junit.hpp"
#include "tools/report/serve_log.hpp"
#include "tools/report/story.hpp"
#include "tools/report/trace_log.hpp"
#include "tools/scenario/files.hpp"
#include "tools/scenario/html_report.hpp"
#include "tools/scenario/runner.hpp"
#include "tools/scenario/world.hpp"
#include "tools/ui/ui_server.hpp"

#include <CLI/CLI.hpp>

#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <pthread.h>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <unistd.h>

namespace {

using namespace mojasim;

std::string command_line(int argc, char** argv)
{
    std::string out;
    for(int i = 0; i < argc; ++i)
        out += (i ? " " : "") + std::string(argv[i]);
    return out;
}

bool use_color(std::string const& mode)
{
    if(mode == "always")
        return true;
    if(mode == "never")
        return false;
    return ::isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
}

// Block SIGINT and SIGTERM in every thread (call before any thread starts), then wait for one.
void block_stop_signals(sigset_t& set)
{
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

std::optional<scenario::scenario> load_or_report(std::string const& file)
{
    auto loaded = file.empty() ? scenario::load_text(std::string(scenario::demo_yaml()), "scenarios/demo.yaml")
                               : scenario::load_file(file);
    if(auto* errors = std::get_if<std::vector<scenario::load_error>>(&loaded))
    {
        for(auto const& e : *errors)
            std::cerr << e.to_string() << "\n";
        return std::nullopt;
    }
    return std::get<scenario::scenario>(std::move(loaded));
}

struct run_outputs
{
    std::string junit;
    std::string trace;
    std::string sequence;
    std::string html;
    std::string payment; ///< msisdn for --sequence (default: the first beneficiary)
    std::string sequence_style = "protocol"; ///< protocol (every message), story or overview
    std::optional<std::uint64_t> seed;
    std::string color = "auto";
    std::size_t threads = 2;
    std::vector<std::string> tags;      ///< run only scenarios with one of these tags
    std::vector<std::string> skip_tags; ///< skip scenarios with one of these tags
    std::vector<std::string> attach; ///< topology files: run against actors running elsewhere
};

// Every report path must be writable before anything runs: a pipeline must not lose a
// report in silence. Prints why not and returns false.
bool outputs_writable(run_outputs const& o)
{
    bool ok = true;
    for(auto const& [flag, path] : {std::pair{"--junit", &o.junit}, {"--trace", &o.trace}, {"--sequence", &o.sequence}, {"--html", &o.html}})
        if(!path->empty())
            if(auto const why = scenario::why_not_writable(*path); !why.empty())
            {
                std::cerr << "mojasim: cannot write " << flag << " " << *path << ": " << why << "\n";
                ok = false;
            }
    return ok;
}

// Write a report file; false (and a message) when it could not be written whole.
template <typename Write>
bool write_file(std::string const& path, Write write)
{
    std::ofstream out(path);
    if(out)
        write(out);
    out.close();
    if(!out)
    {
        std::cerr << "mojasim: writing " << path << " failed: " << std::strerror(errno) << "\n";
        return false;
    }
    return true;
}

// Write the sequence diagram and the trace of one run, when asked; false when one failed.
bool write_reports(scenario::scenario const& sc, scenario::run_result const& r, run_outputs const& o, bool many)
{
    auto const suffix = [&](std::string path) {
        if(!many)
            return path;
        auto const dot = path.rfind('.');
        auto stem = sc.file.substr(sc.file.rfind('/') + 1);
        stem = stem.substr(0, stem.rfind('.'));
        return dot == std::string::npos ? path + "-" + stem : path.substr(0, dot) + "-" + stem + path.substr(dot);
    };
    bool ok = true;
    if(!o.trace.empty())
        ok = write_file(suffix(o.trace), [&](std::ostream& out) { report::write_jsonl(out, r.trace); }) && ok;
    if(!o.sequence.empty() && !r.payments.empty())
    {
        std::size_t i = 0;
        if(!o.payment.empty())
            for(std::size_t k = 0; k < r.beneficiary_of.size(); ++k)
                if(r.beneficiary_of[k] == o.payment)
                    i = k;
        auto const name = [&](std::string const& hp) {
            auto const it = r.actors.find(hp);
            return it == r.actors.end() ? std::string{} : it->second;
        };
        std::string text;
        if(o.sequence_style == "overview")
            text = report::story_mermaid(report::batch_overview(r.trace, name, sc.name, scenario::batch_outcome(r)));
        else
        {
            auto const mine = report::payment_messages(r.trace, r.payments[i].name);
            auto const title = "Payment to " + r.beneficiary_of[i] + " (request_id " + r.payments[i].name + ")";
            text = o.sequence_style == "story"
                       ? report::story_mermaid(report::make_story(mine, name, title, scenario::payment_outcome(r, i)))
                       : report::mermaid_sequence(mine, name, title);
        }
        ok = write_file(suffix(o.sequence), [&](std::ostream& out) { out << text; }) && ok;
    }
    return ok;
}

// The JUnit test case of a file that could not be loaded: an <error> with every problem.
report::junit_suite invalid_suite(std::string const& file, std::vector<scenario::load_error> const& errors)
{
    report::junit_suite suite;
    suite.name = file;
    report::junit_case jc;
    jc.name = file;
    jc.classname = "mojasim.scenarios";
    for(auto const& e : errors)
        jc.error += (jc.error.empty() ? "" : "\n") + e.to_string();
    suite.cases.push_back(std::move(jc));
    return suite;
}

std::string join(std::vector<std::string> const& v)
{
    std::string out;
    for(auto const& s : v)
        out += (out.empty() ? "" : ",") + s;
    return out;
}

int run_scenarios(std::vector<std::string> const& args, run_outputs const& o, bool tell_story)
{
    if(!outputs_writable(o))
        return 2;
    // Load everything first. An invalid file is reported (and is an <error> in the JUnit
    // report) and makes the exit code 2, but the valid ones still run.
    std::vector<report::junit_suite> suites;
    std::vector<std::string> html_sections; ///< --html: one per file, made right after its run
    bool invalid = false;
    std::size_t invalid_files = 0;
    auto const expanded = args == std::vector<std::string>{""} ? scenario::expanded_files{args, {}, {}}
                                                                 : scenario::expand_scenario_args(args);
    for(auto const& e : expanded.errors)
    {
        std::cerr << e << "\n";
        invalid = true;
        ++invalid_files;
    }
    std::vector<scenario::scenario> all;
    std::size_t deselected = 0;
    for(auto const& f : expanded.files)
    {
        auto loaded = f.empty() ? scenario::load_text(std::string(scenario::demo_yaml()), "scenarios/demo.yaml")
                                : scenario::load_file(f);
        if(auto* errors = std::get_if<std::vector<scenario::load_error>>(&loaded))
        {
            for(auto const& e : *errors)
                std::cerr << e.to_string() << "\n";
            suites.push_back(invalid_suite(f, *errors));
            html_sections.push_back(scenario::html_invalid_section(f, suites.back().cases.front().error));
            invalid = true;
            ++invalid_files;
        }
        else if(auto& sc = std::get<scenario::scenario>(loaded); scenario::tags_select(sc.tags, o.tags, o.skip_tags))
            all.push_back(std::move(sc));
        else
            ++deselected;
    }
    // --attach: the actors run elsewhere; what a scenario asks that they cannot give is
    // invalid input, said before any run.
    std::optional<scenario::attached_topology> attached;
    if(!o.attach.empty())
    {
        auto loaded = scenario::load_topology(o.attach);
        if(auto const* error = std::get_if<std::string>(&loaded))
        {
            std::cerr << "--attach: " << *error << "\n";
            return 2;
        }
        attached = std::get<scenario::attached_topology>(std::move(loaded));
        bool refused = false;
        for(auto const& sc : all)
            for(auto const& refusal : scenario::attach_refusals(sc, *attached))
            {
                std::cerr << refusal << "\n";
                refused = true;
            }
        if(refused)
            return 2;
    }
    bool const color = use_color(o.color);
    auto const paint = [&](char const* code, std::string const& text) {
        return color ? std::string("\033[") + code + "m" + text + "\033[0m" : text;
    };
    std::size_t passed = 0, failed = 0;
    bool reports_ok = true;
    for(auto const& sc : all)
    {
        scenario::run_options ro;
        ro.seed = o.seed;
        ro.threads = o.threads;
        ro.attach = attached ? &*attached : nullptr;
        // The JUnit report carries a failing payment's messages, the HTML report its story:
        // keep the trace for them too.
        ro.keep_trace = !o.trace.empty() || !o.sequence.empty() || !o.junit.empty() || !o.html.empty();
        ro.progress_bar = color && ::isatty(STDERR_FILENO) != 0;
        auto const r = scenario::run(sc, ro);
        if(tell_story)
            std::cout << scenario::story(sc, r, color);
        std::vector<std::string> failures;
        for(auto const& c : r.checks)
            if(!c.passed)
                failures.push_back(c.describe(sc.file));
        char secs[64];
        std::snprintf(secs, sizeof secs, "%.2f s, seed %llu", r.seconds, static_cast<unsigned long long>(r.seed));
        if(r.passed)
        {
            ++passed;
            std::cout << paint("32", "PASS") << "  " << sc.file << "  " << sc.name << "  (" << r.checks.size()
                      << " checks, " << secs << ")\n";
        }
        else
        {
            ++failed;
            std::cout << paint("31", "FAIL") << "  " << sc.file << "  " << sc.name << "  (" << secs << ")\n";
            if(!r.error.empty())
                std::cout << "      " << r.error << "\n";
            for(auto const& f : failures)
                std::cout << "      " << f << "\n";
        }
        reports_ok = write_reports(sc, r, o, all.size() > 1) && reports_ok;
        if(!o.html.empty())
            html_sections.push_back(scenario::html_section(sc, r));
        report::junit_suite suite;
        suite.name = sc.file;
        suite.properties = {{"seed", std::to_string(r.seed)},
                            {"threads", std::to_string(o.threads)},
                            {"timeout_ms", std::to_string(sc.timeout.count())},
                            {"tags", join(sc.tags)}};
        if(!o.tags.empty())
            suite.properties.emplace_back("run.tags", join(o.tags));
        if(!o.skip_tags.empty())
            suite.properties.emplace_back("run.skip_tags", join(o.skip_tags));
        report::junit_case jc;
        jc.name = sc.name;
        jc.classname = "mojasim.scenarios";
        jc.seconds = r.seconds;
        jc.failures = failures;
        jc.error = r.error;
        for(auto const& c : r.checks)
            if(!c.passed && !c.messages.empty())
                jc.system_out += c.describe(sc.file) + "\n" + c.messages + "\n";
        suite.cases.push_back(std::move(jc));
        suites.push_back(std::move(suite));
    }
    if(!o.junit.empty())
        reports_ok = write_file(o.junit, [&](std::ostream& out) { report::write_junit(out, suites); }) && reports_ok;
    if(!o.html.empty())
        reports_ok = write_file(o.html, [&](std::ostream& out) {
                         out << scenario::html_document(tell_story ? "mojasim demo" : "mojasim run", html_sections, passed,
                                                        failed, invalid_files);
                     }) && reports_ok;
    std::cout << passed << " passed, " << failed << " failed";
    if(invalid)
        std::cout << ", " << invalid_files << " invalid";
    if(deselected != 0)
        std::cout << ", " << deselected << " left out by tags";
    std::cout << "\n";
    if(invalid || !reports_ok)
        return 2;
    return failed == 0 ? 0 : 1;
}

struct ui_settings
{
    bool on = false;
    std::uint16_t port = 4040; ///< the page's own listener (--ui-port; 0 or --free-ports: any)
    bool autoplay = false;     ///< demo --ui: the first page to load sends the demo batch
    std::size_t events_per_second = 400; ///< --ui-events: message events per second to the pages
};

std::string host_port_of(std::string const& url)
{
    auto const from = url.find("://");
    auto rest = from == std::string::npos ? url : url.substr(from + 3);
    return rest.substr(0, rest.find('/'));
}

// What the live page needs about a running world: its description and who listens where.
ui::world_view view_of(scenario::world const& w)
{
    ui::world_view v;
    v.topology_json = w.describe_json();
    auto const& payer = w.settings().payer.fsp;
    auto const add = [&](std::string const& api, std::string const& node) {
        auto const url = w.url_of(api);
        if(url.empty())
            return;
        v.url_of[api] = url;
        v.actor_at[host_port_of(url)] = node;
    };
    add("switch", "switch");
    add("switch-admin", "switch");
    add("hub", "hub");
    add("hub-ops", "hub");
    add("connector", payer + "-connector");
    std::vector<std::string> fsps{payer};
    for(auto const& b : w.settings().payees)
        fsps.push_back(b.fsp);
    for(auto const& f : fsps)
    {
        add(f, f);
        add(f + "-test", f);
    }
    return v;
}

int serve_world(std::string const& config, bool json, bool free_ports, std::size_t threads, ui_settings const& ui_set,
                std::string const& trace_path)
{
    auto sc = load_or_report(config);
    if(!sc)
        return 2;
    // --trace: every message as JSON lines, written by a thread of its own.
    report::trace_file_writer trace_file;
    if(!trace_path.empty())
    {
        if(auto const why = scenario::why_not_writable(trace_path); !why.empty())
        {
            std::cerr << "mojasim: cannot write --trace " << trace_path << ": " << why << "\n";
            return 2;
        }
    }
    sigset_t set;
    block_stop_signals(set);
    if(!trace_path.empty() && !trace_file.open(trace_path))
    {
        std::cerr << "mojasim: cannot write --trace " << trace_path << ": " << std::strerror(errno) << "\n";
        return 2;
    }
    // One info line per payment outcome, one debug line per FSPIOP message, from the trace
    // hook (installed only when something listens).
    auto const payments = core::logger("payments");
    auto const fspiop = core::logger("fspiop");
    bool const tell_payments = payments->should_log(spdlog::level::info);
    bool const tell_messages = fspiop->should_log(spdlog::level::debug);
    bool const tracing = !trace_path.empty();
    std::function<void(net::trace_event const&)> log_hook;
    if(tracing || tell_payments || tell_messages)
        log_hook = [&trace_file, payments, fspiop, tracing, tell_payments, tell_messages](net::trace_event const& e) {
            if(tracing)
                trace_file.write(e);
            if(tell_payments)
                if(auto const line = report::payment_outcome_line(e); !line.empty())
                    payments->info(line);
            if(tell_messages)
                if(auto const line = report::fspiop_message_line(e); !line.empty())
                    fspiop->debug(line);
        };
    // The main thread waits for a stop signal or, with the page, a reset.
    std::mutex mutex;
    std::condition_variable changed;
    bool stop = false;
    bool reset = false;
    std::thread signals([&] {
        int sig = 0;
        sigwait(&set, &sig);
        std::lock_guard lock(mutex);
        stop = true;
        changed.notify_all();
    });
    auto const end_signals = [&] {
        bool waiting = false;
        {
            std::lock_guard lock(mutex);
            waiting = !stop;
        }
        if(waiting)
            pthread_kill(signals.native_handle(), SIGTERM);
        signals.join();
    };
    // The page runs on a thread of its own, so it never takes an actor's.
    std::optional<net::context_pool> ui_pool;
    std::unique_ptr<ui::ui_server> page;
    if(ui_set.on)
    {
        ui_pool.emplace(1);
        ui::ui_options uo;
        uo.port = free_ports ? 0 : ui_set.port;
        uo.autoplay = ui_set.autoplay;
        uo.events_per_second = ui_set.events_per_second;
        uo.on_reset = [&] {
            std::lock_guard lock(mutex);
            reset = true;
            changed.notify_all();
        };
        page = std::make_unique<ui::ui_server>(ui_pool->front().get_executor(), uo);
        try
        {
            page->start();
        }
        catch(std::exception const& e)
        {
            std::cerr << "mojasim serve: the live page: " << e.what() << "\n";
            end_signals();
            return 1;
        }
        ui_pool->start();
    }
    int rc = 0;
    for(bool first = true;; first = false)
    {
        scenario::world_options wo;
        wo.default_ports = !free_ports;
        wo.threads = threads;
        if(page && log_hook)
            wo.trace = [sink = page->sink(), &log_hook](net::trace_event const& e) {
                sink(e);
                log_hook(e);
            };
        else if(page)
            wo.trace = page->sink();
        else
            wo.trace = log_hook;
        scenario::world w(sc->world, sc->beneficiaries, sc->faults, wo);
        try
        {
            w.start();
        }
        catch(std::exception const& e)
        {
            std::cerr << "mojasim serve: " << e.what() << "\n";
            rc = 1;
            break;
        }
        if(page)
            page->show(view_of(w));
        if(!first)
            std::cout << "world reset" << std::endl;
        else if(json)
            std::cout << w.describe_json() << std::endl;
        else
            std::cout << w.describe_text() << (page ? "live page " + page->url() + "\n" : std::string{})
                      << "ready; Ctrl-C stops" << std::endl;
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return stop || reset; });
        bool const again = reset && !stop;
        reset = false;
        lock.unlock();
        if(page)
            page->hide();
        w.stop();
        if(!again)
            break;
    }
    if(page)
    {
        page->stop();
        ui_pool->stop(std::chrono::milliseconds(500));
    }
    end_signals();
    if(tracing)
    {
        bool const written = trace_file.close();
        if(trace_file.dropped() != 0)
            std::cerr << "mojasim: --trace " << trace_path << ": " << trace_file.dropped()
                      << " messages left out (the writer fell behind)\n";
        if(!written)
        {
            std::cerr << "mojasim: writing " << trace_path << " failed\n";
            return 2;
        }
    }
    return rc;
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"mojasim: the Mojaloop switch, two DFSPs and the Payment Hub on one machine"};
    app.set_version_flag("--version", std::string("mojasim ") + MOJASIM_VERSION);
    app.require_subcommand(1);
    std::string log_level = "warn";
    app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")->capture_default_str();

    // demo / run / validate
    run_outputs outs;
    auto add_run_options = [&](CLI::App* cmd) {
        cmd->add_option("--trace", outs.trace, "write every HTTP message as JSON lines to FILE");
        cmd->add_option("--sequence", outs.sequence, "write a Mermaid sequence diagram of one payment to FILE");
        cmd->add_option("--html", outs.html,
                        "write one self-contained HTML report of the run to FILE (expectations, payments, positions, "
                        "each failed payment's story)");
        cmd->add_option("--payment", outs.payment, "the beneficiary MSISDN whose payment --sequence draws");
        cmd->add_option("--sequence-style", outs.sequence_style,
                        "protocol: every message and acknowledgement; story: one payment told in phases, "
                        "acknowledgements folded; overview: the whole batch on one page")
            ->check(CLI::IsMember({"protocol", "story", "overview"}))
            ->capture_default_str();
        cmd->add_option("--seed", outs.seed, "seed for every id and request id (the run prints the one it used)");
        cmd->add_option("--color", outs.color, "auto, always or never")->capture_default_str();
        cmd->add_option("--threads", outs.threads, "threads, each running an io_context of its own")->capture_default_str();
    };
    auto* demo = app.add_subcommand("demo", "Run the built-in demo: a small OpenG2P batch, told payment by payment");
    add_run_options(demo);
    std::string demo_file;
    demo->add_option("file", demo_file,
                     "a scenario to tell instead of the built-in one (scenarios/demo-national-id.yaml: national ids "
                     "resolved by the account mapper)");
    ui_settings ui_set;
    demo->add_flag("--ui", ui_set.on, "serve the demo world with its live page instead; the page sends the batch");
    demo->add_option("--ui-port", ui_set.port, "the live page's port (0: any)")->capture_default_str();
    demo->add_option("--ui-events", ui_set.events_per_second,
                     "message events per second sent to the page, at most (0: every message)")
        ->capture_default_str();
    std::vector<std::string> files;
    auto* run = app.add_subcommand("run", "Run scenario files; exit 0 when all pass, 1 when one fails, 2 for invalid input");
    run->add_option("files", files, "scenario YAML files, or folders: every scenario file under them")->required();
    run->add_option("--junit", outs.junit, "write a JUnit XML report to FILE");
    run->add_option("--tags", outs.tags, "run only scenarios carrying one of these tags (a,b)")->delimiter(',');
    run->add_option("--skip-tags", outs.skip_tags, "leave out scenarios carrying one of these tags (a,b)")->delimiter(',');
    run->add_option("--attach", outs.attach,
                    "run against actors already running: a topology FILE (serve --json's output, whole or per actor)");
    add_run_options(run);
    std::vector<std::string> to_validate;
    auto* validate = app.add_subcommand("validate", "Check scenario files without running them (exit 2 when invalid)");
    validate->add_option("files", to_validate, "scenario YAML files")->required();

    // serve
    auto* serve = app.add_subcommand("serve", "Run actors until interrupted: all of them by default, or one");
    std::string world_config;
    bool as_json = false;
    bool free_ports = false;
    std::size_t serve_threads = 2;
    serve->add_option("--config", world_config, "a scenario file whose topology and beneficiaries to serve");
    serve->add_flag("--json", as_json, "print one line of JSON describing the running topology");
    serve->add_flag("--free-ports", free_ports, "listen on free ports instead of the documented ones");
    std::string serve_trace;
    serve->add_option("--trace", serve_trace, "write every HTTP message as JSON lines to FILE (as run --trace)");
    serve->add_option("--threads", serve_threads, "threads, each running an io_context of its own")->capture_default_str();
    serve->add_flag("--ui", ui_set.on, "serve the live page (its URL is printed): topology, batch, positions, controls");
    serve->add_option("--ui-port", ui_set.port, "the live page's port (0: any)")->capture_default_str();
    serve->add_option("--ui-events", ui_set.events_per_second,
                      "message events per second sent to the page, at most (0: every message)")
        ->capture_default_str();
    central::serve_switch_options switch_opts;
    auto* serve_switch = serve->add_subcommand("switch", "The Mojaloop switch alone (FSPIOP and Admin API)");
    serve_switch->add_option("--config", switch_opts.config_path, "YAML file");
    serve_switch->add_option("--host", switch_opts.host, "listen address (default 127.0.0.1)")->envname("MOJASIM_HOST");
    serve_switch->add_option("--fspiop-port", switch_opts.fspiop_port, "FSPIOP port (default 4000; 0: any)");
    serve_switch->add_option("--admin-port", switch_opts.admin_port, "Admin API port (default 4001; 0: any)");
    serve_switch->add_option("--hub-name", switch_opts.hub_name, "the hub's FSPIOP-Source (default Hub)");
    serve_switch->add_option("--threads", switch_opts.threads, "threads running the actor's io_context")->capture_default_str();
    serve_switch->add_option("--currency", switch_opts.currencies, "bootstrap the hub's accounts and settlement model for it")
        ->envname("MOJASIM_CURRENCY")->delimiter(',');
    serve_switch->add_flag("--json", switch_opts.json, "print one line of JSON (a topology fragment) once ready");
    dfsp::serve_options dfsp_opts;
    auto* serve_dfsp = serve->add_subcommand("dfsp", "One DFSP simulator");
    serve_dfsp->add_option("--config", dfsp_opts.config_path, "the DFSP's YAML description")->required();
    serve_dfsp->add_option("--host", dfsp_opts.host, "overrides listen.host")->envname("MOJASIM_HOST");
    serve_dfsp->add_option("--threads", dfsp_opts.threads, "threads running the actor's io_context")->capture_default_str();
    serve_dfsp->add_option("--fspiop-port", dfsp_opts.fspiop_port, "overrides listen.fspiop_port (0: any)");
    serve_dfsp->add_option("--test-port", dfsp_opts.test_port, "overrides listen.test_port (0: any)");
    serve_dfsp->add_option("--connector-port", dfsp_opts.connector_port, "overrides connector.port (0: any)");
    serve_dfsp->add_option("--switch-fspiop-url", dfsp_opts.switch_fspiop_url, "overrides switch.fspiop_url")
        ->envname("MOJASIM_SWITCH_FSPIOP_URL");
    serve_dfsp->add_option("--switch-admin-url", dfsp_opts.switch_admin_url, "overrides switch.admin_url")
        ->envname("MOJASIM_SWITCH_ADMIN_URL");
    serve_dfsp->add_option("--callback-url", dfsp_opts.callback_url, "overrides switch.callback_url")
        ->envname("MOJASIM_CALLBACK_URL");
    serve_dfsp->add_flag("--json", dfsp_opts.json, "print one line of JSON (a topology fragment) once onboarded");
    hub::serve_hub_options hub_opts;
    auto* serve_hub = serve->add_subcommand("hub", "The Payment Hub (PH-EE bulk and operations APIs)");
    serve_hub->add_option("--config", hub_opts.config_path, "YAML file");
    serve_hub->add_option("--bulk-port", hub_opts.bulk_port, "bulk API port (default 5000)");
    serve_hub->add_option("--ops-port", hub_opts.ops_port, "operations API port (default 5001)");
    serve_hub->add_option("--threads", hub_opts.threads, "threads running the actor's io_context")->capture_default_str();
    serve_hub->add_option("--host", hub_opts.host, "overrides host (default 127.0.0.1)")->envname("MOJASIM_HOST");
    serve_hub->add_option("--connector-url", hub_opts.connector_url, "overrides every tenant's connector_url")
        ->envname("MOJASIM_CONNECTOR_URL");
    serve_hub->add_flag("--json", hub_opts.json, "print one line of JSON (a topology fragment) once ready");
    mapper::serve_mapper_options mapper_opts;
    auto* serve_mapper = serve->add_subcommand(
        "mapper", "The account mapper (PH-EE identity-account-mapper and G2P Connect mapper APIs)");
    serve_mapper->add_option("--config", mapper_opts.config_path, "YAML file (its entries seed the store)");
    serve_mapper->add_option("--host", mapper_opts.host, "overrides host (default 127.0.0.1)")->envname("MOJASIM_HOST");
    serve_mapper->add_option("--port", mapper_opts.port, "port of both APIs (default 5200; 0: any)");
    serve_mapper->add_option("--threads", mapper_opts.threads, "threads running the actor's io_context")->capture_default_str();
    serve_mapper->add_flag("--json", mapper_opts.json, "print one line of JSON (a topology fragment) once ready");

    // bench
    auto* bench = app.add_subcommand("bench", "Measure throughput and latency on 127.0.0.1");
    bench->require_subcommand(1);
    tools::bench_http_options http_opts;
    double seconds = 3.0;
    auto* bench_http = bench->add_subcommand("http", "Raw HTTP exchanges/s between mojasim's own server and client");
    bench_http->add_option("--threads", http_opts.threads, "threads, each running an io_context of its own")->capture_default_str();
    bench_http->add_option("--connections", http_opts.connections, "kept-alive connections")->capture_default_str();
    bench_http->add_option("--seconds", seconds, "how long to run")->capture_default_str();
    bench_http->add_option("--body-size", http_opts.body_size, "bytes of JSON per POST")->capture_default_str();
    bench_http->add_option("--requests", http_opts.max_requests, "stop after this many exchanges (0: use --seconds)")
        ->capture_default_str();
    tools::bench_switch_options switch_bench;
    auto* bench_switch = bench->add_subcommand("switch", "Transfers/s through the switch, prepare to commit");
    bench_switch->add_option("--threads", switch_bench.threads, "threads, each running an io_context of its own")->capture_default_str();
    bench_switch->add_option("--concurrency", switch_bench.concurrency, "transfers in flight")->capture_default_str();
    bench_switch->add_option("--seconds", seconds, "how long to run")->capture_default_str();
    bench_switch->add_option("--transfers", switch_bench.max_transfers, "stop after this many (0: use --seconds)")
        ->capture_default_str();

    tools::bench_e2e_options e2e;
    auto* bench_e2e = bench->add_subcommand("e2e", "An OpenG2P batch through hub, connector, switch and payee bank");
    bench_e2e->add_option("--payments", e2e.payments, "rows in the batch")->capture_default_str();
    bench_e2e->add_option("--batch-size", e2e.batch_size, "rows per upload (0: one batch of up to 100,000 rows, more in batches of 100,000)")->capture_default_str();
    bench_e2e->add_option("--threads", e2e.threads, "threads, each running an io_context of its own")->capture_default_str();
    bench_e2e->add_option("--concurrency", e2e.concurrency, "payments in flight at the hub")->capture_default_str();
    bench_e2e->add_flag("!--no-http", e2e.compare_http, "skip the raw HTTP measurement");
    bench_e2e->add_option("--jws", e2e.jws,
                          "FSPIOP-Signature: off, on (every actor signs and verifies), or both (plain and signed in one run)")
        ->check(CLI::IsMember({"off", "on", "both"}))
        ->capture_default_str();
    bench_e2e->add_option("--lookup", e2e.lookup,
                          "PH-EE's account lookup flow: off, on (national ids resolved by the account mapper), or both (plain and with the lookup, one run)")
        ->check(CLI::IsMember({"off", "on", "both"}))
        ->capture_default_str();
    bench_e2e->add_option("--mode", e2e.mode,
                          "the hub's MOJALOOP payment mode: individual (one POST /transfers per row), or bulk (sub-batches "
                          "through POST /bulkTransactions; the individual mode runs too, for the ratio)")
        ->check(CLI::IsMember({"individual", "bulk"}))
        ->capture_default_str();
    bench_e2e->add_option("--bulk-size", e2e.bulk_size, "rows per bulk transaction in bulk mode (1 to 1000)")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    bench_e2e->add_flag("!--no-individual", e2e.with_individual,
                        "in bulk mode, skip the individual run (no ratio): for batches too big to pay one by one");
    bench_e2e->add_option("--attach", e2e.attach,
                          "also pay the batch through actors running as separate processes: a topology FILE");

    try
    {
        app.parse(argc, argv);
    }
    catch(CLI::ParseError const& e)
    {
        // --help and --version end here with 0; a usage error is exit code 2, as for an
        // invalid scenario file.
        return app.exit(e) == 0 ? 0 : 2;
    }
    // `serve` (the whole world) tells each payment's outcome at info unless told otherwise.
    if(serve->parsed() && !serve_switch->parsed() && !serve_dfsp->parsed() && !serve_hub->parsed() &&
       app.get_option("--log-level")->count() == 0)
        log_level = "info";
    if(!core::set_log_level(log_level))
    {
        std::cerr << "unknown log level: " << log_level << "\n";
        return 2;
    }
    auto const seconds_ms = std::chrono::milliseconds(static_cast<long>(seconds * 1000));

    if(validate->parsed())
    {
        auto const expanded = scenario::expand_scenario_args(to_validate);
        int rc = expanded.errors.empty() ? 0 : 2;
        for(auto const& e : expanded.errors)
            std::cerr << e << "\n";
        for(auto const& f : expanded.files)
        {
            if(auto sc = load_or_report(f))
                std::cout << f << ": valid (" << sc->beneficiaries.size() << " beneficiaries, " << sc->steps.size()
                          << " steps, " << sc->expectations.size() << " expectations)\n";
            else
                rc = 2;
        }
        return rc;
    }
    if(demo->parsed() && ui_set.on)
    {
        ui_set.autoplay = true;
        return serve_world("", false, false, outs.threads, ui_set, "");
    }
    if(demo->parsed())
        return run_scenarios({demo_file}, outs, true);
    if(run->parsed())
        return run_scenarios(files, outs, false);
    if(serve_switch->parsed())
    {
        switch_opts.log_level = log_level;
        return central::run_serve_switch(switch_opts);
    }
    if(serve_dfsp->parsed())
        return dfsp::run_serve_dfsp(dfsp_opts);
    if(serve_hub->parsed())
    {
        hub_opts.log_level = log_level;
        return hub::run_serve_hub(hub_opts);
    }
    if(serve_mapper->parsed())
    {
        mapper_opts.log_level = log_level;
        return mapper::run_serve_mapper(mapper_opts);
    }
    if(serve->parsed())
        return serve_world(world_config, as_json, free_ports, serve_threads, ui_set, serve_trace);
    // Under every benchmark's figures: where they were measured, and how to measure them again.
    auto const print_machine = [&] {
        std::printf("machine: %u cores, %s malloc\ncommand: %s\n", std::thread::hardware_concurrency(),
                    tools::allocator_name(), command_line(argc, argv).c_str());
    };
    if(bench_http->parsed())
    {
        http_opts.duration = seconds_ms;
        auto const r = tools::run_bench_http(http_opts);
        std::printf("%s\n", tools::describe(http_opts, r).c_str());
        print_machine();
        return r.failures == 0 ? 0 : 1;
    }
    if(bench_e2e->parsed())
    {
        auto const rc = tools::run_bench_e2e(e2e);
        print_machine();
        return rc;
    }
    if(bench_switch->parsed())
    {
        switch_bench.duration = seconds_ms;
        auto const rc = tools::run_bench_switch(switch_bench);
        print_machine();
        return rc;
    }
    return 0;
}
