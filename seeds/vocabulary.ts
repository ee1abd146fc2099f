import { Gender } from '../src/core/vocab';
import type { Random } from './random';

// Word lists the generator draws from: names, diagnoses, schools, work units, project items.
// Regional where it is cheap to be (surnames and crops differ between the four prefectures).

const COMMON_SURNAMES = Array.from('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤');

/** Surnames frequent in each prefecture (麻阳 滕/龙/田; 恩施 向/覃/谭; 百色 黄/韦/农/覃; 赣南 钟/刘/曾). */
const LOCAL_SURNAMES: Record<string, string[]> = {
  '4312': Array.from('滕张田杨龙向舒吴陈刘黄李谭满'),
  '3607': Array.from('刘钟曾谢陈黄李王赖肖廖罗邱温'),
  '4228': Array.from('向田谭覃杨张黄李邓刘冉朱彭'),
  '4510': Array.from('黄韦农覃陆李梁罗杨王岑凌班'),
};

const MALE_CHARS = '伟强军勇明华建国平志海东林刚文斌峰辉杰涛超鹏磊浩宇俊家成德福贵生荣祥昌云龙发富忠永顺兴宏正光金先胜学才军红江波洪清春发新世长松';
const FEMALE_CHARS = '秀英芳兰玲梅红丽娟霞燕萍琴云桂凤珍慧婷雪静敏欣怡涵梓菊莲香翠琼艳娥玉花娇月婉佳琳雨诗嘉彩春群丹';
/** Given names of people born after about 2000 sound different (子涵, 梓萱, 浩宇). */
const YOUNG_MALE = ['浩宇', '子轩', '宇航', '俊杰', '梓豪', '浩然', '子豪', '博文', '思源', '一鸣', '家豪', '梓睿', '锦程', '宇轩'];
const YOUNG_FEMALE = ['子涵', '梓萱', '欣怡', '雨涵', '思琪', '诗涵', '可馨', '一诺', '梦瑶', '佳怡', '语桐', '紫琪', '雅婷', '若曦'];

export function surname(rng: Random, prefecture: string): string {
  const local = LOCAL_SURNAMES[prefecture];
  return rng.chance(0.55) && local ? rng.pick(local) : rng.pick(COMMON_SURNAMES);
}

export function givenName(rng: Random, gender: Gender, birthYear: number): string {
  if (birthYear >= 2000 && rng.chance(0.6)) return rng.pick(gender === Gender.MALE ? YOUNG_MALE : YOUNG_FEMALE);
  const chars = gender === Gender.MALE ? MALE_CHARS : FEMALE_CHARS;
  const first = chars[rng.int(0, chars.length - 1)];
  return rng.chance(0.3) ? first : first + chars[rng.int(0, chars.length - 1)];
}

export function fullName(rng: Random, gender: Gender, birthYear: number, prefecture: string): string {
  return surname(rng, prefecture) + givenName(rng, gender, birthYear);
}

/** Chronic conditions (门诊慢特病) with ICD-10 codes, weighted by how common they are. */
export const CHRONIC_CONDITIONS: ReadonlyArray<readonly [readonly [string, string], number]> = [
  [['原发性高血压', 'I10'], 30],
  [['2型糖尿病', 'E11.9'], 14],
  [['慢性阻塞性肺疾病', 'J44.9'], 10],
  [['冠状动脉粥样硬化性心脏病', 'I25.1'], 8],
  [['脑梗死后遗症', 'I69.3'], 8],
  [['类风湿关节炎', 'M06.9'], 6],
  [['慢性乙型病毒性肝炎', 'B18.1'], 5],
  [['慢性肾脏病', 'N18.9'], 4],
  [['精神分裂症', 'F20.9'], 4],
  [['癫痫', 'G40.9'], 3],
  [['腰椎间盘突出症', 'M51.2'], 5],
  [['肺结核', 'A16.2'], 3],
];

/** Serious illnesses (大病专项救治病种). */
export const SERIOUS_CONDITIONS: ReadonlyArray<readonly [readonly [string, string], number]> = [
  [['肺恶性肿瘤', 'C34.9'], 12],
  [['胃恶性肿瘤', 'C16.9'], 10],
  [['肝恶性肿瘤', 'C22.0'], 9],
  [['乳腺恶性肿瘤', 'C50.9'], 7],
  [['宫颈恶性肿瘤', 'C53.9'], 6],
  [['食管恶性肿瘤', 'C15.9'], 6],
  [['终末期肾病（尿毒症）', 'N18.5'], 12],
  [['急性白血病', 'C95.0'], 4],
  [['先天性心脏病', 'Q24.9'], 4],
  [['重性精神病', 'F29'], 8],
  [['耐多药肺结核', 'A15.0'], 3],
  [['脑出血', 'I61.9'], 10],
];

/** Children's conditions: the adult lists would give a ten-year-old a stroke. */
export const CHILD_CHRONIC_CONDITIONS: ReadonlyArray<readonly [readonly [string, string], number]> = [
  [['支气管哮喘', 'J45.9'], 5],
  [['癫痫', 'G40.9'], 3],
  [['1型糖尿病', 'E10.9'], 1],
];
export const CHILD_SERIOUS_CONDITIONS: ReadonlyArray<readonly [readonly [string, string], number]> = [
  [['急性淋巴细胞白血病', 'C91.0'], 5],
  [['先天性心脏病', 'Q24.9'], 5],
];

/** Diagnoses only women have. */
export const FEMALE_ONLY_ICD10 = new Set(['C50.9', 'C53.9']);

export const COLLEGES: Record<string, readonly string[]> = {
  '43': ['怀化学院', '湖南医药学院', '怀化职业技术学院', '湖南师范大学', '湖南农业大学', '长沙民政职业技术学院'],
  '36': ['赣南师范大学', '江西理工大学', '赣南医科大学', '赣州职业技术学院', '南昌大学', '江西应用技术职业学院'],
  '42': ['湖北民族大学', '恩施职业技术学院', '三峡大学', '华中农业大学', '武汉职业技术学院', '湖北中医药大学'],
  '45': ['百色学院', '右江民族医学院', '广西大学', '百色职业学院', '广西民族大学', '广西农业职业技术大学'],
};

export const CADRE_UNITS = [
  '人民政府办公室', '发展和改革局', '教育局', '民政局', '财政局', '人力资源和社会保障局', '自然资源局', '住房和城乡建设局',
  '交通运输局', '水利局', '农业农村局', '卫生健康局', '医疗保障局', '乡村振兴局', '林业局', '市场监督管理局', '统计局', '审计局',
];
/** Central and provincial units paired with poor villages (定点帮扶单位), outside the county government. */
export const OUTSIDE_UNITS = ['国网供电公司', '中国农业银行支行', '中国邮政储蓄银行支行', '中国移动分公司', '烟草专卖局', '人民法院', '人民检察院', '乡镇人民政府'];

export const TEMPORARY_ASSISTANCE_REASONS = [
  '因病致急难，医疗费用支出过大', '住房失火，基本生活暂时困难', '家庭成员意外伤害', '洪涝灾害致房屋受损', '子女就学费用支出较大',
  '家庭主要劳动力突发重病', '交通事故致生活困难',
];

export const DROPOUT_REASONS = ['厌学', '外出务工', '家庭经济困难', '身体原因长期缺课', '随父母外出后未就读', '早婚早育风险'];

export const SHORT_COURSES = ['电工', '焊工', '家政服务', '中式烹调', '茶叶加工', '果树栽培', '养殖技术', '挖掘机操作', '电子商务'];

/** Local crops and industries, by prefecture (麻阳冰糖橙, 赣南脐橙, 恩施硒茶, 百色芒果). */
export const INDUSTRIES: Record<string, readonly string[]> = {
  '4312': ['冰糖橙种植', '黄桃种植', '油茶林', '生猪养殖', '中药材种植', '稻鱼综合种养'],
  '3607': ['脐橙种植', '蔬菜大棚', '油茶林', '肉牛养殖', '白莲种植', '甜叶菊种植'],
  '4228': ['硒茶种植', '魔芋种植', '烟叶种植', '高山蔬菜', '山羊养殖', '中药材种植'],
  '4510': ['芒果种植', '油茶林', '桑蚕养殖', '火龙果种植', '黑山羊养殖', '八角种植'],
};

export const INFRASTRUCTURE_ITEMS = [
  '通组道路硬化工程', '安全饮水巩固提升工程', '农村电网改造', '光纤宽带入户', '村级综合服务平台', '河堤加固工程', '产业路修建',
  '村庄人居环境整治', '小型农田水利设施',
];
