// API v1 calls: enroll, push (gzip), pull; failures classified as values.
#include "sync/api_client.hpp"

#include <charconv>

#include "common/protocol/codec.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"

namespace alliance::sync {
namespace {

std::optional<std::chrono::milliseconds> parse_retry_after(const HttpResponse& response) {
  auto value = response.header("retry-after");
  if (!value) return std::nullopt;
  std::int64_t seconds = 0;
  const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), seconds);
  // An HTTP-date form is legal but no server of ours sends it; our own backoff covers it.
  if (ec != std::errc() || end != value->data() + value->size() || seconds < 0) {
    return std::nullopt;
  }
  return std::chrono::milliseconds(std::min<std::int64_t>(seconds, 24 * 3600) * 1000);
}

template <class T>
ApiResult<T> decoded_or_failure(protocol::Decoded<T> decoded) {
  if (decoded) return std::move(*decoded);
  const bool too_large = decoded.error().code == "too_large";
  return std::unexpected(
      ApiFailure{.kind = too_large ? FailureKind::answer_too_large : FailureKind::transient,
                 .http_status = 200,
                 .code = too_large ? "too_large" : "bad_answer",
                 .message = "the server's answer could not be read: " + decoded.error().message});
}

std::int64_t wall_ms() {
  return util::to_unix_ms(std::chrono::system_clock::now());
}

// The page size a pull gets when it names none (API v1 `limit`).
constexpr int kApiDefaultPullLimit = 500;

// Server clocks outside (0, year 3000) are not clocks: ignored, never stored.
constexpr std::int64_t kLatestPlausibleMs = 32'503'680'000'000;

}  // namespace

std::string_view to_string(FailureKind kind) {
  switch (kind) {
    case FailureKind::transient:
      return "transient";
    case FailureKind::unauthorized:
      return "unauthorized";
    case FailureKind::revoked:
      return "revoked";
    case FailureKind::too_large:
      return "too_large";
    case FailureKind::permanent:
      return "permanent";
    case FailureKind::stopped:
      return "stopped";
    case FailureKind::answer_too_large:
      return "answer_too_large";
    case FailureKind::refused_url:
      return "refused_url";
  }
  return "transient";
}

ApiFailure classify(const HttpResponse& response) {
  ApiFailure failure;
  if (response.error) {
    const std::string& code = response.error->code;
    failure.kind = code == "aborted"     ? FailureKind::stopped
                   : code == "too_large" ? FailureKind::answer_too_large
                                         : FailureKind::transient;
    failure.code = response.error->code;
    failure.message = response.error->message;
    return failure;
  }
  const int status = static_cast<int>(response.status);
  failure.http_status = status;
  failure.retry_after = parse_retry_after(response);
  if (auto body = protocol::decode_error_body(response.body)) {
    failure.code = body->code;
    failure.message = body->message;
  } else {
    failure.code = util::cat("http_", status);
    failure.message = util::cat("the server answered HTTP ", status);
  }
  if (status == 401) {
    failure.kind = FailureKind::unauthorized;
  } else if (status == 403) {
    failure.kind = FailureKind::revoked;
  } else if (status == 413) {
    failure.kind = FailureKind::too_large;
  } else if (status == 408 || status == 429 || status >= 500 || status < 400) {
    failure.kind = FailureKind::transient;
  } else {
    failure.kind = FailureKind::permanent;
  }
  return failure;
}

ApiClient::ApiClient(std::string base_url, HttpOptions options)
    : base_url_(std::move(base_url)), http_(std::move(options)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  url_problem_ = server_url_problem(base_url_);
}

std::optional<ApiFailure> ApiClient::refusal() const {
  if (!url_problem_) return std::nullopt;
  return ApiFailure{
      .kind = FailureKind::refused_url, .code = "refused_url", .message = *url_problem_};
}

void ApiClient::observe_clock(std::int64_t server_time_ms, std::int64_t sent_ms,
                              std::int64_t received_ms) {
  if (server_time_ms <= 0 || server_time_ms > kLatestPlausibleMs || received_ms < sent_ms) return;
  const ClockSample sample{.offset_ms = server_time_ms - (sent_ms + (received_ms - sent_ms) / 2),
                           .round_trip_ms = received_ms - sent_ms};
  if (!clock_ || sample.round_trip_ms <= clock_->round_trip_ms) clock_ = sample;
}

std::vector<std::string> ApiClient::sync_headers(std::int64_t queue_depth) const {
  return {"Authorization: Bearer " + token_, "Accept: application/json",
          util::cat(protocol::kQueueDepthHeader, ": ", queue_depth)};
}

void ApiClient::count(const HttpResponse& response) {
  ++stats_.requests;
  stats_.bytes_sent += response.bytes_sent;
  stats_.bytes_received += response.bytes_received;
  new_bytes_ += response.bytes_sent + response.bytes_received;
}

ApiResult<protocol::EnrollResponse> ApiClient::enroll(const protocol::EnrollRequest& request) {
  if (auto refused = refusal()) return std::unexpected(*refused);
  auto response =
      http_.post(base_url_ + "/v1/devices/enroll",
                 {"Content-Type: application/json", "Accept: application/json"},
                 protocol::encode(request), tighter(http_.options().limits, kEnrollAnswerLimits));
  count(response);
  if (!response.ok()) return std::unexpected(classify(response));
  return decoded_or_failure(protocol::decode_enroll_response(response.body));
}

ApiResult<protocol::PushResponse> ApiClient::push(const std::string& body,
                                                  std::int64_t queue_depth) {
  if (auto refused = refusal()) return std::unexpected(*refused);
  auto headers = sync_headers(queue_depth);
  headers.emplace_back("Content-Type: application/json");
  stats_.body_bytes_raw += body.size();
  std::string compressed;
  if (gzip_) {
    headers.emplace_back("Content-Encoding: gzip");
    compressed = gzip_compress(body);
  }
  const std::string_view sent_body = gzip_ ? std::string_view(compressed) : std::string_view(body);
  stats_.body_bytes_sent += sent_body.size();
  const std::int64_t sent_ms = wall_ms();
  headers.push_back(util::cat(protocol::kDeviceTimeHeader, ": ", sent_ms));
  const auto response = http_.post(base_url_ + "/v1/sync/push", headers, sent_body,
                                   tighter(http_.options().limits, kPushAnswerLimits));
  const std::int64_t received_ms = wall_ms();
  count(response);
  if (!response.ok()) return std::unexpected(classify(response));
  auto decoded = decoded_or_failure(protocol::decode_push_response(response.body));
  if (decoded) observe_clock(decoded->server_time_ms, sent_ms, received_ms);
  return decoded;
}

ApiResult<protocol::PullResponse> ApiClient::pull(std::int64_t cursor, int limit, PullAsk ask,
                                                  std::int64_t queue_depth) {
  if (auto refused = refusal()) return std::unexpected(*refused);
  auto headers = sync_headers(queue_depth);
  const std::int64_t sent_ms = wall_ms();
  headers.push_back(util::cat(protocol::kDeviceTimeHeader, ": ", sent_ms));
  auto response = http_.get(
      util::cat(base_url_, "/v1/sync/pull?cursor=", cursor, "&limit=", limit,
                ask.include_own ? "&own=1" : "", ask.new_code_prefix ? "&code_prefix=new" : "",
                ask.acked_change.empty() ? "" : "&acked=", ask.acked_change),
      headers);
  const std::int64_t received_ms = wall_ms();
  count(response);
  if (!response.ok()) return std::unexpected(classify(response));
  auto decoded = decoded_or_failure(protocol::decode_pull_response(response.body));
  if (decoded) observe_clock(decoded->server_time_ms, sent_ms, received_ms);
  return decoded;
}

ApiResult<protocol::PullResponse> ApiClient::pull_waiting(std::int64_t cursor, int limit,
                                                          std::chrono::seconds wait,
                                                          std::int64_t queue_depth) {
  if (auto refused = refusal()) return std::unexpected(*refused);
  // "Accept:" keeps libcurl from adding "Accept: */*".
  const std::vector<std::string> headers = {
      "Authorization: Bearer " + token_, util::cat(protocol::kQueueDepthHeader, ": ", queue_depth),
      util::cat(protocol::kDeviceTimeHeader, ": ", wall_ms()), "Accept:"};
  // API v1's default page size goes unsaid.
  const std::string page = limit == kApiDefaultPullLimit ? "" : util::cat("&limit=", limit);
  auto response = http_.get_held(
      util::cat(base_url_, "/v1/sync/pull?cursor=", cursor, page, "&wait=", wait.count()), headers,
      std::chrono::duration_cast<std::chrono::milliseconds>(wait));
  count(response);
  if (!response.ok()) return std::unexpected(classify(response));
  if (response.status == 204) {
    // The wait ended with nothing new: the page is empty, the cursor stays,
    // and the lineage comes in a header.
    const auto lineage =
        protocol::decode_lineage_header(response.header("x-alliance-central").value_or(""));
    if (!lineage) {
      return std::unexpected(ApiFailure{
          .kind = FailureKind::transient,
          .http_status = 204,
          .code = "bad_answer",
          .message = "the server's answer to a waiting pull lacks a readable X-Alliance-Central"});
    }
    return protocol::PullResponse{.next_cursor = cursor, .central = *lineage};
  }
  return decoded_or_failure(protocol::decode_pull_response(response.body));
}

}  // namespace alliance::sync
