# Included by whisper.cpp's CMake configure step (scripts/lib.sh sets CMAKE_PROJECT_INCLUDE, which
# whisper-rs-sys hands to cmake), before anything is compiled. It changes one thing in the copy of
# whisper.cpp inside the build directory: when a batch of tokens needs logits only for its last
# token (the prompt, decoded in one go), only that token's logits are computed. Upstream computes
# them for all (51,864 floats a token) and reserves memory for 224 tokens' worth: about 45 MB of
# every transcription state, and work thrown away on every prompt. Where the source no longer
# reads as expected the file is left alone and a warning says so.

set(_doorstep_source "${CMAKE_SOURCE_DIR}/src/whisper.cpp")
if(EXISTS "${_doorstep_source}" AND NOT DEFINED _DOORSTEP_WHISPER_PATCHED)
  set(_DOORSTEP_WHISPER_PATCHED TRUE)
  file(READ "${_doorstep_source}" _doorstep_text)
  set(_doorstep_graph_old
"    //cur = ggml_view_2d(ctx0, cur, cur->ne[0], 1, cur->nb[1], (cur->ne[1] - 1)*cur->nb[1]);\n")
  set(_doorstep_graph_new
"    bool doorstep_last_only = n_tokens > 1;
    for (int i = 0; i + 1 < n_tokens; ++i) {
        if (batch.logits[i]) {
            doorstep_last_only = false;
        }
    }
    if (doorstep_last_only) {
        cur = ggml_view_2d(ctx0, cur, cur->ne[0], 1, cur->nb[1], (cur->ne[1] - 1)*cur->nb[1]);
    }
")
  set(_doorstep_copy_old
"        ggml_backend_tensor_get(logits, logits_out.data() + (n_vocab*i), sizeof(float)*(n_vocab*i), sizeof(float)*n_vocab);")
  set(_doorstep_copy_new
"        ggml_backend_tensor_get(logits, logits_out.data() + (n_vocab*i), logits->ne[1] == 1 ? 0 : sizeof(float)*(n_vocab*i), sizeof(float)*n_vocab);")
  string(FIND "${_doorstep_text}" "doorstep_last_only" _doorstep_done)
  string(FIND "${_doorstep_text}" "${_doorstep_graph_old}" _doorstep_at_graph)
  string(FIND "${_doorstep_text}" "${_doorstep_copy_old}" _doorstep_at_copy)
  if(NOT _doorstep_done EQUAL -1)
    # Patched when this build directory was first configured.
  elseif(_doorstep_at_graph EQUAL -1 OR _doorstep_at_copy EQUAL -1)
    message(WARNING "doorstep: whisper.cpp is not as expected; its decoder is left unpatched")
  else()
    string(REPLACE "${_doorstep_graph_old}" "${_doorstep_graph_new}" _doorstep_text "${_doorstep_text}")
    string(REPLACE "${_doorstep_copy_old}" "${_doorstep_copy_new}" _doorstep_text "${_doorstep_text}")
    file(WRITE "${_doorstep_source}" "${_doorstep_text}")
    message(STATUS "doorstep: whisper.cpp computes logits only where a batch needs them")
  endif()
endif()
