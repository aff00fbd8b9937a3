// Every text of the page in English and Chinese. Keys are grouped by page; {0}, {1} are filled in.
const TEXTS = {
  en: {
    'nav.create': 'Create', 'nav.history': 'History', 'nav.logs': 'Logs',
    'signin.title': 'Sign in', 'signin.button': 'Sign in', 'signin.placeholder': 'Access token',
    'signin.text': 'Open the address HeyGem printed when it started, or paste the access token from the file "token" in its data directory.',
    'signin.wrong': 'That is not the access token.',
    'create.title': 'New video', 'create.lead': 'One speech recording, one or many presenter videos: HeyGem makes every presenter speak it.',
    'mode.single': 'Single video', 'mode.batch': 'Batch',
    'audio.title': '1 · Speech', 'audio.drop': 'Drop the speech recording here, or click to choose',
    'audio.hint': 'WAV, MP3, M4A, FLAC … any language, or a video whose sound to use',
    'templates.title': '2 · Presenter videos', 'templates.drop': 'Drop presenter videos here, or click to choose',
    'templates.dropOne': 'Drop a presenter video here, or click to choose',
    'templates.hint': 'MP4, MOV, MKV, WebM, FLV, AVI, TS … the face turned to the camera',
    'library.open': 'From the library', 'library.title': 'Earlier uploads', 'library.empty': 'Nothing uploaded yet.',
    'library.add': 'Add', 'library.added': 'Added', 'library.audio': 'Use',
    'settings.title': '3 · Quality', 'settings.quality': 'Result quality',
    'quality.standard': 'Standard (fast, small files)', 'quality.high': 'High (recommended)', 'quality.best': 'Best (slower, larger files)',
    'start': 'Start', 'start.count': 'Start {0} video(s)',
    'start.needAudio': 'Add the speech recording first.', 'start.needTemplate': 'Add at least one presenter video.',
    'start.waitUploads': 'Wait until the uploads have finished.',
    'upload.uploading': 'Uploading {0}%', 'upload.failed': 'Upload failed', 'remove': 'Remove',
    'check.queued': 'Face check waiting…', 'check.running': 'Checking the face… {0}%',
    'check.face': 'Face in {0}% of frames', 'check.usability': 'Usability {0}', 'check.failed': 'Not usable',
    'check.good': 'good', 'check.fair': 'fair', 'check.poor': 'poor',
    'batch.title': 'Batch', 'batch.heading': '{0} → {1} video(s)', 'batch.overall': '{0} of {1} finished', 'batch.cancel': 'Cancel batch',
    'batch.retry': 'Retry failed', 'batch.zip': 'Download all (ZIP)', 'batch.results': 'Results',
    'batch.noResults': 'Finished videos appear here.', 'batch.new': 'New video', 'batch.audio': 'Speech: {0}',
    'item.cancel': 'Cancel', 'item.retry': 'Retry', 'item.play': 'Play', 'item.download': 'Download', 'item.log': 'Log',
    'item.eta': '{0} left', 'item.frames': '{0} / {1} frames',
    'state.QUEUED': 'Queued', 'state.RUNNING': 'Running', 'state.SUCCEEDED': 'Done', 'state.FAILED': 'Failed', 'state.CANCELED': 'Cancelled',
    'stage.analysing audio': 'Analysing the speech', 'stage.analysing template': 'Analysing the presenter',
    'stage.planning': 'Planning the mouth', 'stage.preparing': 'Preparing', 'stage.rendering': 'Rendering',
    'history.title': 'History', 'history.empty': 'No batches yet.', 'history.date': 'Date', 'history.audio': 'Speech',
    'history.state': 'State', 'history.videos': 'Videos', 'history.open': 'Open', 'history.delete': 'Delete',
    'history.confirmDelete': 'Delete this batch and its videos? This cannot be undone.', 'history.more': 'Show more',
    'logs.title': 'Server log', 'logs.follow': 'Follow', 'logs.item': 'Log of {0}',
    'workers.title': 'Workers', 'workers.none': 'No rendering node has registered. Start one with "heygem worker", or serve with --workers 1.',
    'workers.name': 'Name', 'workers.host': 'Machine', 'workers.state': 'State', 'workers.current': 'Current item',
    'workers.done': 'Videos made', 'workers.seen': 'Last heartbeat', 'workers.cores': '{0} cores, {1} at a time',
    'workers.RUNNING': 'Working', 'workers.STOPPING': 'Stopping', 'workers.STOPPED': 'Stopped', 'workers.LOST': 'Lost',
    'storage.low': 'The server\'s disk is nearly full ({0} free, {1} needed): the queue is paused and nothing new is accepted. Nothing already accepted is lost; it goes on by itself once space is freed.',
    'error.network': 'The server cannot be reached. Is HeyGem running?', 'seconds': '{0} s', 'minutes': '{0} min {1} s',
    'deleted': 'Deleted.', 'copied': 'Started.',
  },
  zh: {
    'nav.create': '创建', 'nav.history': '历史记录', 'nav.logs': '日志',
    'signin.title': '登录', 'signin.button': '登录', 'signin.placeholder': '访问令牌',
    'signin.text': '请打开 HeyGem 启动时输出的地址，或粘贴数据目录中 token 文件里的访问令牌。',
    'signin.wrong': '访问令牌不正确。',
    'create.title': '新建视频', 'create.lead': '一段语音，一个或多个数字人模板视频：HeyGem 让每个模板里的人说出这段话。',
    'mode.single': '单个视频', 'mode.batch': '批量处理',
    'audio.title': '1 · 语音', 'audio.drop': '将语音文件拖到这里，或点击选择',
    'audio.hint': 'WAV、MP3、M4A、FLAC……任何语言，也可以用视频里的声音',
    'templates.title': '2 · 模板视频', 'templates.drop': '将模板视频拖到这里，或点击选择（可多选）',
    'templates.dropOne': '将模板视频拖到这里，或点击选择',
    'templates.hint': 'MP4、MOV、MKV、WebM、FLV、AVI、TS……人物正对镜头',
    'library.open': '从素材库选择', 'library.title': '以前上传的文件', 'library.empty': '还没有上传过文件。',
    'library.add': '添加', 'library.added': '已添加', 'library.audio': '使用',
    'settings.title': '3 · 画质', 'settings.quality': '输出画质',
    'quality.standard': '标准（速度快，文件小）', 'quality.high': '高（推荐）', 'quality.best': '最佳（较慢，文件较大）',
    'start': '开始生成', 'start.count': '开始生成 {0} 个视频',
    'start.needAudio': '请先添加语音文件。', 'start.needTemplate': '请至少添加一个模板视频。',
    'start.waitUploads': '请等待上传完成。',
    'upload.uploading': '上传中 {0}%', 'upload.failed': '上传失败', 'remove': '移除',
    'check.queued': '等待人脸检测…', 'check.running': '正在检测人脸… {0}%',
    'check.face': '{0}% 的画面检测到人脸', 'check.usability': '可用度 {0}', 'check.failed': '不可用',
    'check.good': '良好', 'check.fair': '一般', 'check.poor': '较差',
    'batch.title': '批次', 'batch.heading': '{0} → {1} 个视频', 'batch.overall': '已完成 {0} / {1}', 'batch.cancel': '取消批次',
    'batch.retry': '重试失败项', 'batch.zip': '一键打包下载（ZIP）', 'batch.results': '生成结果',
    'batch.noResults': '生成完成的视频会显示在这里。', 'batch.new': '新建视频', 'batch.audio': '语音：{0}',
    'item.cancel': '取消', 'item.retry': '重试', 'item.play': '播放', 'item.download': '下载', 'item.log': '日志',
    'item.eta': '剩余 {0}', 'item.frames': '{0} / {1} 帧',
    'state.QUEUED': '排队中', 'state.RUNNING': '处理中', 'state.SUCCEEDED': '已完成', 'state.FAILED': '失败', 'state.CANCELED': '已取消',
    'stage.analysing audio': '分析语音', 'stage.analysing template': '分析模板',
    'stage.planning': '规划口型', 'stage.preparing': '准备中', 'stage.rendering': '合成中',
    'history.title': '历史记录', 'history.empty': '还没有批次。', 'history.date': '时间', 'history.audio': '语音',
    'history.state': '状态', 'history.videos': '视频', 'history.open': '打开', 'history.delete': '删除',
    'history.confirmDelete': '删除这个批次及其所有视频？此操作无法撤销。', 'history.more': '显示更多',
    'logs.title': '服务器日志', 'logs.follow': '自动滚动', 'logs.item': '{0} 的日志',
    'workers.title': '工作节点', 'workers.none': '还没有渲染节点注册。请运行 "heygem worker"，或以 --workers 1 启动服务。',
    'workers.name': '名称', 'workers.host': '机器', 'workers.state': '状态', 'workers.current': '当前任务',
    'workers.done': '已生成视频', 'workers.seen': '最近心跳', 'workers.cores': '{0} 核，同时 {1} 个',
    'workers.RUNNING': '工作中', 'workers.STOPPING': '正在停止', 'workers.STOPPED': '已停止', 'workers.LOST': '失联',
    'storage.low': '服务器磁盘空间不足（剩余 {0}，需要 {1}）：队列已暂停，暂不接收新的文件和批次。已接收的内容不会丢失；清理出空间后会自动继续。',
    'error.network': '无法连接服务器。HeyGem 是否在运行？', 'seconds': '{0} 秒', 'minutes': '{0} 分 {1} 秒',
    'deleted': '已删除。', 'copied': '已开始。',
  },
};

let LANG = localStorage.getItem('heygem.lang')
  || ((navigator.languages || [navigator.language || 'en']).some(l => /^zh/i.test(l)) ? 'zh' : 'en');

function t(key, ...args) {
  const s = (TEXTS[LANG] && TEXTS[LANG][key]) || TEXTS.en[key] || key;
  return s.replace(/\{(\d)\}/g, (_, i) => args[i] === undefined ? '' : args[i]);
}

function translatePage(root = document) {
  document.documentElement.lang = LANG === 'zh' ? 'zh-CN' : 'en';
  root.querySelectorAll('[data-i18n]').forEach(e => { e.textContent = t(e.dataset.i18n); });
  root.querySelectorAll('[data-i18n-placeholder]').forEach(e => { e.placeholder = t(e.dataset.i18nPlaceholder); });
  const b = document.getElementById('lang');
  if (b) b.textContent = LANG === 'zh' ? 'English' : '中文';
}
