-- Headless Neovim (0.7+) end-to-end check of the Rubric language server: starts the server with
-- vim.lsp.start_client, attaches it to a rule file with an error, waits for the diagnostics,
-- asks for a hover and a completion, and writes everything to $RUBRIC_NVIM_OUT as JSON.
local out_path = os.getenv('RUBRIC_NVIM_OUT')
local server = os.getenv('RUBRIC_SERVER')
local file = os.getenv('RUBRIC_FILE')
local hover_line = tonumber(os.getenv('RUBRIC_HOVER_LINE'))
local hover_char = tonumber(os.getenv('RUBRIC_HOVER_CHAR'))
local complete_line = tonumber(os.getenv('RUBRIC_COMPLETE_LINE'))
local complete_char = tonumber(os.getenv('RUBRIC_COMPLETE_CHAR'))

local result = { diagnostics = {}, hover = vim.NIL, completion = {}, errors = {} }

local function finish()
  local f = io.open(out_path, 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qa!')
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(bufnr)
  local got_diagnostics = false

  local client_id = vim.lsp.start_client({
    name = 'rubric',
    cmd = { 'node', server, '--stdio' },
    root_dir = vim.fn.fnamemodify(file, ':h'),
    handlers = {
      ['textDocument/publishDiagnostics'] = function(_, params)
        if params.uri == uri then
          result.diagnostics = params.diagnostics
          got_diagnostics = true
        end
      end,
    },
  })
  if client_id == nil then error('start_client failed') end
  vim.lsp.buf_attach_client(bufnr, client_id)

  if not vim.wait(20000, function() return got_diagnostics end, 50) then
    table.insert(result.errors, 'no diagnostics within 20 s')
  end

  local client = vim.lsp.get_client_by_id(client_id)
  local hover = client.request_sync('textDocument/hover', {
    textDocument = { uri = uri },
    position = { line = hover_line, character = hover_char },
  }, 5000, bufnr)
  if hover and hover.result then result.hover = hover.result else table.insert(result.errors, 'no hover') end

  local completion = client.request_sync('textDocument/completion', {
    textDocument = { uri = uri },
    position = { line = complete_line, character = complete_char },
  }, 5000, bufnr)
  if completion and completion.result then
    local items = completion.result.items or completion.result
    for _, item in ipairs(items) do table.insert(result.completion, { label = item.label, detail = item.detail }) end
  else
    table.insert(result.errors, 'no completion')
  end
  client.stop()
end)
if not ok then table.insert(result.errors, tostring(err)) end
finish()
